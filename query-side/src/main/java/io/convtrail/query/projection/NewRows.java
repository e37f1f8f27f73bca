package io.convtrail.query.projection;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.function.Supplier;

/**
 * Inserts a live batch's rows, which are new to their table but for a rare event applied twice: first with a plain
 * {@code INSERT} inside a savepoint, and only if a row is there already (a unique violation) again with
 * {@code ON CONFLICT DO NOTHING}, which skips it. An {@code INSERT … ON CONFLICT} costs PostgreSQL a speculative
 * insertion per row (each unique index searched before the row is written, the row confirmed after): 2–3 µs more per
 * row, a third of an {@code audit_event} row's cost; the savepoint costs two short statements per batch
 * (docs/performance.md, branch {@code pg6}). Any other failure is rethrown as it was, the savepoint rolled back.
 */
@Component
public class NewRows {

    private final TransactionTemplate savepoint;

    public NewRows(PlatformTransactionManager transactions) {
        // nested: a savepoint inside the batch's transaction, which the repositories' JDBC calls join
        this.savepoint = new TransactionTemplate(transactions);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    /**
     * @param plain          the rows' {@code INSERT}, failing on a row that is there already
     * @param skippingStored the same {@code INSERT … ON CONFLICT DO NOTHING}, run if {@code plain} failed so
     */
    public <T> T insert(Supplier<T> plain, Supplier<T> skippingStored) {
        try {
            return savepoint.execute(status -> plain.get());
        } catch (DuplicateKeyException stored) {
            return skippingStored.get();
        }
    }
}
