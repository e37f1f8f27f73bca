package io.convtrail.query.projection;

import org.postgresql.PGStatement;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.PreparedStatement;
import java.util.List;
import java.util.function.Supplier;

/**
 * How a read model answers a whole conversation: its rows read along the index that holds them in the
 * answer's order, and in PostgreSQL's binary format from a statement's first run.
 * <p>
 * Where one conversation holds a large share of a table (a long one, a test's, a bench's) the planner
 * otherwise reads its rows with a parallel sequential scan and a sort, or a bitmap scan and a sort: it
 * costs them as scattered over the table, and an in-order index scan as one random read per row, though
 * the rows are in memory and the index gives them in order. Measured on 9,550 trace stages of a
 * 66,739-row table (docs/performance.md, branch {@code trace8}): PostgreSQL's CPU per read 114–150 ms
 * (parallel) or 60–76 ms (bitmap) against 20–28 ms in the index's order. {@code enable_sort} off, for one
 * read-only transaction alone, leaves the planner the plan without a sort.
 */
@Component
public class KeyOrderReads {

    private final JdbcTemplate template;
    private final TransactionTemplate readOnly;

    public KeyOrderReads(JdbcTemplate template, PlatformTransactionManager transactions) {
        this.template = template;
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
    }

    /**
     * Runs {@code reads} in one read-only transaction in which PostgreSQL sorts nothing it can read in order.
     * Called inside a transaction already open (no caller does today), it joins it, and the setting then holds
     * until that transaction ends.
     */
    public <T> T inKeyOrder(Supplier<T> reads) {
        return readOnly.execute(status -> {
            template.execute("SET LOCAL enable_sort = off");
            return reads.get();
        });
    }

    /**
     * The rows of {@code sql} in PostgreSQL's binary format from the statement's first run on a connection:
     * the driver otherwise asks for text until its fifth run, and parses every timestamp and number of those
     * answers (thousands per conversation, and a pool's connections each start over) where
     * {@link io.convtrail.query.json.StoredInstants} reads eight bytes. A negative threshold is the driver's
     * switch for it (one more round trip on a connection's first run, to describe the columns).
     */
    public <R> List<R> inBinary(String sql, RowMapper<R> rows, Object... parameters) {
        return template.query(connection -> {
            PreparedStatement select = connection.prepareStatement(sql);
            select.unwrap(PGStatement.class).setPrepareThreshold(-1);
            for (int i = 0; i < parameters.length; i++) {
                select.setObject(i + 1, parameters[i]);
            }
            return select;
        }, rows);
    }
}
