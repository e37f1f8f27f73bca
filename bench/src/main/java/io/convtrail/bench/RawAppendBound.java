package io.convtrail.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The raw bound for appends: the very rows the service appended in a window, inserted again with
 * plain batched JDBC ({@code addBatch}/{@code executeBatch}, 100 rows per transaction, 4
 * connections, default driver settings) into a scratch copy of the event table with the same
 * columns, keys and indexes, in the same PostgreSQL.
 */
final class RawAppendBound {

    static final int BATCH = 100;
    static final int CONNECTIONS = 4;
    private static final String COLUMNS = "globalindex, aggregateidentifier, sequencenumber, type, eventidentifier, "
            + "metadata, payload, payloadrevision, payloadtype, timestamp";

    /** Rows/s (median of the seconds), rows inserted, and the rows' mean size in bytes. */
    record Result(double medianRowsPerSecond, int rows, double meanRowBytes, double seconds) {
    }

    private final BenchDatabase db;

    RawAppendBound(BenchDatabase db) {
        this.db = db;
    }

    Result insertAgain(long afterIndex, long upToIndex) throws Exception {
        List<Object[]> rows = load(afterIndex, upToIndex);
        db.execute("CREATE TABLE IF NOT EXISTS bench_raw_append (LIKE domainevententry INCLUDING CONSTRAINTS "
                + "INCLUDING INDEXES)");
        db.execute("TRUNCATE bench_raw_append");
        long bytes = 0;
        for (Object[] row : rows) {
            bytes += size(row);
        }
        int seconds = 600;
        AtomicLongArray perSecond = new AtomicLongArray(seconds);
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        List<Exception> failures = new ArrayList<>();
        for (int t = 0; t < CONNECTIONS; t++) {
            int mine = t;
            threads.add(new Thread(() -> {
                try {
                    insert(rows, mine, perSecond, start);
                } catch (Exception e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }, "bench-raw-" + t));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        db.execute("TRUNCATE bench_raw_append");
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
        int fullSeconds = (int) elapsed;
        double[] rates;
        if (fullSeconds < 2) {
            rates = new double[]{rows.size() / elapsed};
        } else {
            rates = new double[fullSeconds];
            for (int i = 0; i < fullSeconds; i++) {
                rates[i] = perSecond.get(i);
            }
        }
        return new Result(Percentiles.median(rates), rows.size(), rows.isEmpty() ? 0 : (double) bytes / rows.size(),
                elapsed);
    }

    private void insert(List<Object[]> rows, int thread, AtomicLongArray perSecond, long start) throws SQLException {
        try (Connection c = db.connect();
             PreparedStatement insert = c.prepareStatement("INSERT INTO bench_raw_append (" + COLUMNS
                     + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            c.setAutoCommit(false);
            for (int from = thread * BATCH; from < rows.size(); from += CONNECTIONS * BATCH) {
                int to = Math.min(rows.size(), from + BATCH);
                for (int i = from; i < to; i++) {
                    Object[] row = rows.get(i);
                    for (int col = 0; col < row.length; col++) {
                        insert.setObject(col + 1, row[col]);
                    }
                    insert.addBatch();
                }
                insert.executeBatch();
                c.commit();
                int second = (int) ((System.nanoTime() - start) / 1_000_000_000L);
                if (second < perSecond.length()) {
                    perSecond.addAndGet(second, to - from);
                }
            }
        }
    }

    private List<Object[]> load(long afterIndex, long upToIndex) throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        try (Connection c = db.connect();
             PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS
                     + " FROM domainevententry WHERE globalindex > ? AND globalindex <= ? ORDER BY globalindex")) {
            c.setAutoCommit(false);
            s.setFetchSize(1000);
            s.setLong(1, afterIndex);
            s.setLong(2, upToIndex);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Object[] row = new Object[10];
                    for (int col = 0; col < row.length; col++) {
                        row[col] = rs.getObject(col + 1);
                    }
                    rows.add(row);
                }
            }
            c.commit();
        }
        return rows;
    }

    private static long size(Object[] row) {
        long bytes = 0;
        for (Object value : row) {
            if (value instanceof byte[] b) {
                bytes += b.length;
            } else if (value instanceof String s) {
                bytes += s.length();
            } else if (value != null) {
                bytes += 8;
            }
        }
        return bytes;
    }
}
