package io.convtrail.query.projection;

import io.convtrail.query.store.EventPositions;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A projection's writes, one batch at a time: its handlers turn each event into an item
 * ({@link #add}), and the batch's items are written together, in event order, just before the batch
 * (its unit of work: the processor's batch of events, its rows and its token in one transaction)
 * commits, so that a batch of 100 events costs a few statements instead of hundreds.
 * <p>
 * One bad event must still not stop the projection. A batched write that fails rolls the batch
 * back (PostgreSQL aborts the transaction) and remembers its events as suspects; when the processor
 * retries, a batch holding a suspect writes each event's items alone inside a savepoint, so that
 * only the event that fails again is quarantined and the rest are stored, in the same transaction
 * as the token. Failures of the database as a whole are retried as they are, never quarantined.
 * Without a unit of work (a handler called directly) an item is written at once.
 * <p>
 * A replay's batches commit without waiting for the disk ({@code synchronous_commit} off for their
 * transaction only): a rebuild derives everything again from the event store, and a crash can only
 * lose its last batches, rows and token together, which the processor then replays again. Live
 * batches keep the server's setting. A replay's batch is also written {@code fresh}: its rows may be
 * copied in ({@link CopyRows}) rather than inserted where not there yet.
 */
@Component
public class ProjectionBatches {

    /** Writes items of one projection, in event order, with as few statements as it can. */
    @FunctionalInterface
    public interface Writer<I> {
        /**
         * @param fresh a replay's batch written whole: its rows are new to the tables (the reset emptied them and
         *              a replay writes each event once), so they may be copied in without looking for rows already
         *              there ({@link CopyRows}); should one be there after all, the batch fails and is written
         *              again event by event, never fresh
         */
        void write(List<I> items, boolean fresh);
    }

    private static final String RESOURCE = ProjectionBatches.class.getName() + "/";

    final HeldEvents held;
    final TransactionTemplate savepoint;
    private final JdbcClient jdbc;
    private final Set<String> suspects = ConcurrentHashMap.newKeySet();

    public ProjectionBatches(ProjectionQuarantine quarantine, EventPositions positions,
                             PlatformTransactionManager transactions, Clock clock, JdbcClient jdbc) {
        this.jdbc = jdbc;
        this.held = new HeldEvents(quarantine, positions, clock);
        // nested: a savepoint inside the batch's transaction, which the projection's JDBC calls join
        this.savepoint = new TransactionTemplate(transactions);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    /** The events of one batch and the items they became, in order. */
    private static final class Pending<I> {
        private final List<EventMessage<?>> events = new ArrayList<>();
        private final List<I> items = new ArrayList<>();
    }

    /** Adds the current event's item to its batch's writes of {@code processor}. */
    public <I> void add(String processor, Writer<I> writer, I item) {
        if (!CurrentUnitOfWork.isStarted()) {
            writer.write(List.of(item), false);
            return;
        }
        UnitOfWork<?> current = CurrentUnitOfWork.get();
        UnitOfWork<?> batch = current.root();
        Pending<I> pending = batch.getOrComputeResource(RESOURCE + processor, key -> {
            Pending<I> created = new Pending<>();
            batch.onPrepareCommit(committing -> flush(processor, writer, created));
            return created;
        });
        pending.events.add((EventMessage<?>) current.getMessage());
        pending.items.add(item);
    }

    /**
     * Writes the items of a rebuild's page of replayed events at once, in the caller's transaction, as a
     * replay's batch would be written ({@link ReplayedPages}): a failure that is not the database's makes
     * the page's events suspects, so that the page applied again through the handlers isolates them.
     */
    public <I> void writeReplayed(String processor, Writer<I> writer, List<? extends EventMessage<?>> events,
                                  List<I> items) {
        if (items.isEmpty()) {
            return;
        }
        jdbc.sql("SET LOCAL synchronous_commit TO OFF").update();
        try {
            writer.write(items, true);
        } catch (RuntimeException e) {
            ProjectionFailure failure = ProjectionFailure.of(e);
            if (failure.transientFailure()) {
                throw e;
            }
            events.forEach(event -> suspects.add(key(processor, event)));
            throw new ProjectionEventFailedException(processor, events.size(), failure);
        }
    }

    private <I> void flush(String processor, Writer<I> writer, Pending<I> pending) {
        if (pending.items.isEmpty()) {
            return;
        }
        boolean replay = ReplayToken.isReplay(pending.events.get(0));
        if (replay) {
            jdbc.sql("SET LOCAL synchronous_commit TO OFF").update();
        }
        if (pending.events.stream().noneMatch(event -> suspects.contains(key(processor, event)))) {
            try {
                writer.write(pending.items, replay);
                return;
            } catch (RuntimeException e) {
                ProjectionFailure failure = ProjectionFailure.of(e);
                if (failure.transientFailure()) {
                    throw e;
                }
                pending.events.forEach(event -> suspects.add(key(processor, event)));
                throw new ProjectionEventFailedException(processor, pending.events.size(), failure);
            }
        }
        // suspects stay suspects until their batch commits: if it fails again, they are isolated again
        CurrentUnitOfWork.get().root().afterCommit(committed ->
                pending.events.forEach(event -> suspects.remove(key(processor, event))));
        for (int i = 0; i < pending.items.size(); i++) {
            isolated(processor, writer, pending.events.get(i), pending.items.get(i));
        }
    }

    private <I> void isolated(String processor, Writer<I> writer, EventMessage<?> event, I item) {
        try {
            savepoint.executeWithoutResult(status -> writer.write(List.of(item), false));
        } catch (RuntimeException e) {
            ProjectionFailure failure = ProjectionFailure.of(e);
            if (failure.transientFailure()) {
                throw e;
            }
            held.hold(processor, event, failure);
        }
    }

    private static String key(String processor, EventMessage<?> event) {
        return processor + "/" + event.getIdentifier();
    }
}
