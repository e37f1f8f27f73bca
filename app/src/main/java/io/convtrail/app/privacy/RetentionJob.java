package io.convtrail.app.privacy;

import io.convtrail.api.event.TurnStartedEvent;
import io.convtrail.api.refusal.RefusedException;
import io.convtrail.command.privacy.ConversationErasure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Erases, every {@code convtrail.retention.interval}, the conversations whose last turn started more than
 * {@code erase-after} ago, in batches, the same way as the DELETE endpoint (reason {@code retention}).
 * One node works at a time: a run holds a PostgreSQL advisory lock and a node that cannot take it skips
 * its run. Idempotent: an erased conversation is never a candidate again, and a conversation with a
 * turn running is left for the next run. Off unless {@code erase-after} is set.
 */
@Component
public class RetentionJob implements SmartLifecycle {

    public static final String REASON = "retention";
    public static final String ERASED_BY = "retention-job";

    private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);
    /** The advisory lock's key: any constant the service uses for nothing else ("ctretain"). */
    private static final long LOCK = 0x6374726574616e6eL;

    private static final String CANDIDATES = """
            SELECT e.aggregateidentifier FROM domainevententry e
            WHERE e.payloadtype = '%s'
              AND NOT EXISTS (SELECT 1 FROM conversation_key k
                              WHERE k.conversation_id::text = e.aggregateidentifier AND k.erased_at IS NOT NULL)
              AND e.aggregateidentifier <> ALL (?)
            GROUP BY e.aggregateidentifier
            HAVING max(e.timestamp::timestamptz) < ?
            ORDER BY max(e.timestamp::timestamptz)
            LIMIT ?""".formatted(TurnStartedEvent.class.getName());

    private final RetentionProperties properties;
    private final ConversationErasure erasure;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Counter erasedCounter;
    private final Counter skippedCounter;
    private ScheduledExecutorService scheduler;

    public RetentionJob(RetentionProperties properties, ConversationErasure erasure, JdbcTemplate jdbc, Clock clock,
                        MeterRegistry meters) {
        this.properties = properties;
        this.erasure = erasure;
        this.jdbc = jdbc;
        this.clock = clock;
        this.erasedCounter = Counter.builder("convtrail.retention.erased")
                .description("conversations erased by retention").register(meters);
        this.skippedCounter = Counter.builder("convtrail.retention.skipped")
                .description("retention candidates left for the next run (a turn was running)").register(meters);
    }

    /** What one run did; {@code locked} false: another node was running retention, this one did nothing. */
    public record Run(boolean locked, int erased, int skipped, Instant cutoff) {
    }

    /** One run now (the schedule calls this; so can a test). */
    public Run runOnce() {
        long started = System.nanoTime();
        Instant cutoff = clock.instant().minus(properties.eraseAfter());
        Run run = jdbc.execute((ConnectionCallback<Run>) connection -> {
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                lock.setLong(1, LOCK);
                try (ResultSet rs = lock.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        return new Run(false, 0, 0, cutoff);
                    }
                }
            }
            try {
                return eraseOlderThan(connection, cutoff);
            } finally {
                try (PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                    unlock.setLong(1, LOCK);
                    unlock.execute();
                }
            }
        });
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        if (run.locked()) {
            log.info("Retention run: erased {} conversation(s) whose last turn started before {} (erase-after {}), "
                    + "{} left for the next run (turn running), {} ms", run.erased(), cutoff, properties.eraseAfter(),
                    run.skipped(), ms);
        } else {
            log.info("Retention run skipped: another node holds the retention lock");
        }
        return run;
    }

    private Run eraseOlderThan(java.sql.Connection connection, Instant cutoff) throws java.sql.SQLException {
        List<String> skipped = new ArrayList<>();
        int erased = 0;
        while (true) {
            List<String> batch = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(CANDIDATES)) {
                Array exclude = connection.createArrayOf("varchar", skipped.toArray());
                select.setArray(1, exclude);
                select.setTimestamp(2, Timestamp.from(cutoff));
                select.setInt(3, properties.batchSize());
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        batch.add(rs.getString(1));
                    }
                }
            }
            for (String id : batch) {
                try {
                    erasure.erase(UUID.fromString(id), ERASED_BY, REASON);
                    erased++;
                    erasedCounter.increment();
                } catch (RefusedException | ConcurrencyException busy) {
                    // a turn is running (or a concurrent DELETE erased it first): the next run sees it again
                    skipped.add(id);
                    skippedCounter.increment();
                }
            }
            if (batch.size() < properties.batchSize()) {
                return new Run(true, erased, skipped.size(), cutoff);
            }
        }
    }

    @Override
    public void start() {
        if (properties.eraseAfter() == null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "retention");
            thread.setDaemon(true);
            return thread;
        });
        long every = properties.interval().toMillis();
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                runOnce();
            } catch (RuntimeException e) {
                log.warn("Retention run failed, retried in {}: {}", properties.interval(), e.toString());
            }
        }, every, every, TimeUnit.MILLISECONDS);
        log.info("Retention on: conversations whose last turn is older than {} are erased every {}",
                properties.eraseAfter(), properties.interval());
    }

    @Override
    public void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }
}
