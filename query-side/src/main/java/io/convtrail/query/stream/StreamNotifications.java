package io.convtrail.query.stream;

import io.convtrail.query.DedicatedConnection;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.jdbc.JdbcConnectionDetails;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Live streams across nodes, through PostgreSQL {@code LISTEN/NOTIFY}. The audit projection
 * announces each new row inside the transaction that stores it ({@link #announce}); PostgreSQL
 * delivers the notification to every listening node only when that transaction commits, so a
 * wake-up never names a row that is not readable yet. Each node listens on one dedicated
 * connection (its own, outside the pool, which it would hold for ever) and hands every wake-up to
 * its {@link ConversationStreamHub}, whose subscribers read the new rows from the shared read model.
 * The notification is only a wake-up, never the data: a lost one (the listening connection dropped)
 * is made up by waking every subscriber once the connection is back.
 * <p>
 * A node hears its own notifications too, and for those the wake-up is only a cost: the rows were
 * already handed to its hub with their content, after the same commit. Taken as a wake-up, each
 * subscriber of the conversation read them again from the read model, and when the notification
 * arrived before the projecting thread's hand-over (more often than not, measured) the event reached
 * the subscriber through that read. So every notification starts with its sender's mark
 * ({@value #ORIGIN_MARK} and a random id per process), and a node drops the ones it sent. A node that
 * predates the mark reads it as one malformed entry and ignores it, and a notification without a mark
 * (such a node's) wakes as before.
 */
@Component
public class StreamNotifications implements SmartLifecycle {

    static final String CHANNEL = "convtrail_stream";
    /** A notification's payload must stay under 8000 bytes; an entry takes 38 to 56. */
    static final int ENTRIES_PER_NOTIFICATION = 128;
    /** Starts the first entry of a notification: the sending process's mark. */
    static final String ORIGIN_MARK = "@";
    private static final String RESOURCE = StreamNotifications.class.getName();
    private static final Logger log = LoggerFactory.getLogger(StreamNotifications.class);
    /** How long one poll waits for a notification; bounds how long stopping takes. */
    private static final int POLL_MILLIS = 500;
    private static final long RECONNECT_MILLIS = 1_000;
    /** A connection that received nothing this long is checked, so a silently cut one is replaced. */
    private static final long CHECK_IDLE_MILLIS = 15_000;
    /** Seconds a read on the listening connection may wait on a database that stopped answering. */
    private static final int SOCKET_TIMEOUT_SECONDS = 30;

    private final JdbcClient jdbc;
    private final JdbcConnectionDetails database;
    private final ConversationStreamHub hub;
    /** This process's mark on its notifications ({@value #ORIGIN_MARK} and a random id). */
    private final String origin = ORIGIN_MARK + UUID.randomUUID();
    private volatile boolean running;
    private volatile Thread listener;

    public StreamNotifications(JdbcClient jdbc, JdbcConnectionDetails database, ConversationStreamHub hub) {
        this.jdbc = jdbc;
        this.database = database;
        this.hub = hub;
    }

    /**
     * Announces, on commit of the caller's transaction, that the conversation's events up to
     * {@code sequence} are stored. Within a projection batch the announcements are collected and sent
     * as one notification (per {@value #ENTRIES_PER_NOTIFICATION} conversations) just before the batch
     * commits: a batch of 100 events costs one statement, not 100.
     */
    public void announce(UUID conversationId, long sequence) {
        if (!CurrentUnitOfWork.isStarted()) {
            send(Map.of(conversationId, sequence));
            return;
        }
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        Map<UUID, Long> heads = batch.getOrComputeResource(RESOURCE, key -> {
            Map<UUID, Long> collected = new LinkedHashMap<>();
            batch.onPrepareCommit(committing -> send(collected));
            return collected;
        });
        heads.merge(conversationId, sequence, Math::max);
    }

    /**
     * One notification per group of conversations: this process's mark, then {@code <conversationId>:<sequence>}
     * entries, separated by spaces.
     */
    private void send(Map<UUID, Long> heads) {
        List<String> entries = heads.entrySet().stream().map(head -> head.getKey() + ":" + head.getValue()).toList();
        for (int from = 0; from < entries.size(); from += ENTRIES_PER_NOTIFICATION) {
            jdbc.sql("SELECT pg_notify(:channel, :payload)")
                    .param("channel", CHANNEL)
                    .param("payload", origin + " " + String.join(" ", entries.subList(from,
                            Math.min(entries.size(), from + ENTRIES_PER_NOTIFICATION))))
                    .query((row, number) -> Boolean.TRUE).list();
        }
    }

    @Override
    public void start() {
        running = true;
        Thread thread = new Thread(this::listen, "stream-notifications");
        thread.setDaemon(true);
        listener = thread;
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        Thread thread = listener;
        if (thread != null) {
            try {
                thread.join(POLL_MILLIS * 4L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops after the stream hub (highest phase) has ended the streams, before the database goes. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1;
    }

    private void listen() {
        boolean missedSome = false;
        while (running) {
            try (Connection connection = connect()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                if (missedSome) {
                    hub.wakeAll();
                }
                PGConnection notifications = connection.unwrap(PGConnection.class);
                long heardAt = System.nanoTime();
                while (running) {
                    PGNotification[] received = notifications.getNotifications(POLL_MILLIS);
                    if (received != null && received.length > 0) {
                        heardAt = System.nanoTime();
                        for (PGNotification notification : received) {
                            dispatch(notification.getParameter());
                        }
                    } else if (System.nanoTime() - heardAt > CHECK_IDLE_MILLIS * 1_000_000) {
                        try (Statement check = connection.createStatement()) {
                            check.execute("SELECT 1");
                        }
                        heardAt = System.nanoTime();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                missedSome = true;
                log.warn("Listening for stream notifications failed; retrying in {} ms: {}", RECONNECT_MILLIS, e.toString());
                pause();
            }
        }
    }

    private Connection connect() throws SQLException {
        return DedicatedConnection.open(database, "convtrail stream notifications", SOCKET_TIMEOUT_SECONDS);
    }

    /** Wakes the hub for each entry, unless this process sent the notification (its hub has the rows already). */
    private void dispatch(String payload) {
        String[] entries = payload.split(" ");
        if (entries[0].equals(origin)) {
            return;
        }
        for (String entry : entries) {
            if (entry.startsWith(ORIGIN_MARK)) {
                continue;
            }
            int colon = entry.indexOf(':');
            try {
                hub.wake(UUID.fromString(entry.substring(0, colon)), Long.parseLong(entry.substring(colon + 1)));
            } catch (RuntimeException malformed) {
                // anyone with database access can NOTIFY this channel; an entry we did not write is ignored
                log.debug("Ignored a stream notification entry that is not <conversationId>:<sequence>: {}", entry);
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(RECONNECT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
