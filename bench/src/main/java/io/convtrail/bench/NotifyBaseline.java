package io.convtrail.bench;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;

/**
 * The baseline for stream latency: the fastest commit-to-client path PostgreSQL offers. One
 * connection commits a row and a NOTIFY in one transaction, another LISTENs; latency is the
 * receipt's wall time minus the transaction's commit timestamp, as for the service's events.
 */
final class NotifyBaseline {

    private NotifyBaseline() {
    }

    static Percentiles measure(BenchDatabase db, int count) throws Exception {
        db.execute("CREATE TABLE IF NOT EXISTS bench_notify (id BIGINT PRIMARY KEY)");
        db.execute("TRUNCATE bench_notify");
        Map<Long, Long> received = new ConcurrentHashMap<>();
        try (Connection listener = db.connect(); Connection notifier = db.connect()) {
            try (Statement s = listener.createStatement()) {
                s.execute("LISTEN bench_notify");
            }
            PGConnection pg = listener.unwrap(PGConnection.class);
            Thread receiver = new Thread(() -> {
                try {
                    while (received.size() < count && !Thread.currentThread().isInterrupted()) {
                        PGNotification[] notes = pg.getNotifications(200);
                        long now = WallClock.nowMicros();
                        if (notes != null) {
                            for (PGNotification n : notes) {
                                received.put(Long.parseLong(n.getParameter()), now);
                            }
                        }
                    }
                } catch (Exception e) {
                    Progress.say("NOTIFY baseline listener stopped: " + e);
                }
            }, "bench-listen");
            receiver.start();
            notifier.setAutoCommit(false);
            try (PreparedStatement insert = notifier.prepareStatement("INSERT INTO bench_notify VALUES (?)");
                 PreparedStatement notify = notifier.prepareStatement("SELECT pg_notify('bench_notify', ?)")) {
                for (long i = 0; i < count; i++) {
                    insert.setLong(1, i);
                    insert.executeUpdate();
                    notify.setString(1, Long.toString(i));
                    notify.execute();
                    notifier.commit();
                    Thread.sleep(10);
                }
            }
            receiver.join(5_000);
            receiver.interrupt();
        }
        LongList latencies = new LongList();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, coalesce((extract(epoch FROM pg_xact_commit_timestamp(xmin))"
                     + " * 1000000)::bigint, 0) FROM bench_notify")) {
            while (rs.next()) {
                Long at = received.get(rs.getLong(1));
                if (at != null && rs.getLong(2) > 0) {
                    latencies.add(at - rs.getLong(2));
                }
            }
        }
        db.execute("DROP TABLE bench_notify");
        return Percentiles.of(latencies);
    }
}
