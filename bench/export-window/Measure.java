// A window export's statements timed as the service runs them; docs/performance.md, "The time-window export on a time index".
// Usage: Measure old|new FROM TO [runs] [statement to run first in each transaction]; database export13_scratch on 127.0.0.1.
import io.convtrail.query.store.EventPositions;

import java.sql.*;
import java.time.*;

/** First row and total of a window export's statements, read as the app reads them (fetch size 500, read-only transaction). */
public class Measure {
    static final String OLD = "SELECT globalindex, aggregateidentifier, sequencenumber, payloadtype, payloadrevision, payload FROM domainevententry "
            + "WHERE globalindex > ? AND payloadtype IN ('io.convtrail.api.event.TurnStartedEvent', 'io.convtrail.api.event.StageRecordedEvent', 'io.convtrail.api.event.VerboseRecordedEvent') "
            + "AND aggregateidentifier IN (SELECT aggregateidentifier FROM domainevententry WHERE timestamp::timestamptz >= ? AND timestamp::timestamptz < ?) ORDER BY globalindex";

    public static void main(String[] a) throws Exception {
        String mode = a[0];
        Instant from = Instant.parse(a[1]), to = Instant.parse(a[2]);
        int repeat = a.length > 3 ? Integer.parseInt(a[3]) : 1;
        String setup = a.length > 4 ? a[4] : null;
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/export13_scratch?user=postgres&socketTimeout=600")) {
          for (int run = 0; run < repeat; run++) {
            c.setAutoCommit(false);

            c.setReadOnly(true);
            if (setup != null) try (Statement s = c.createStatement()) { s.execute(setup); }
            long t0 = System.nanoTime(), first = -1, rows = 0, bytes = 0, stepA = -1;
            if (mode.equals("old")) {
                try (PreparedStatement ps = c.prepareStatement(OLD)) {
                    ps.setFetchSize(500);
                    ps.setLong(1, 0);
                    ps.setTimestamp(2, Timestamp.from(from));
                    ps.setTimestamp(3, Timestamp.from(to));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            if (first < 0) first = System.nanoTime() - t0;
                            rows++;
                            bytes += rs.getBytes(6).length;
                        }
                    }
                }
            } else {
                long lo, hi; String[] ids;
                try (PreparedStatement ps = c.prepareStatement(EventPositions.WINDOW_CONVERSATIONS)) {
                    Object[] window = EventPositions.windowParameters(from, to);
                    for (int i = 0; i < window.length; i++) {
                        ps.setObject(i + 1, window[i]);
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        lo = rs.getLong(1); hi = rs.getLong(2); ids = (String[]) rs.getArray(3).getArray();
                    }
                }
                stepA = System.nanoTime() - t0;
                try (PreparedStatement ps = c.prepareStatement(EventPositions.WINDOW_ROWS)) {
                    ps.setFetchSize(500);
                    ps.setLong(1, lo - 1);
                    ps.setLong(2, hi);
                    ps.setArray(3, c.createArrayOf("varchar", ids));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            if (first < 0) first = System.nanoTime() - t0;
                            rows++;
                            bytes += rs.getBytes(6).length;
                        }
                    }
                }
                System.out.printf("conversations %d, range %d..%d, step (a) %.1f ms%n", ids.length, lo, hi, stepA / 1e6);
            }
            long total = System.nanoTime() - t0;
            c.rollback();
            System.out.printf("%s [%s, %s): first row %.1f ms, total %.1f ms, %d rows%n", mode, from, to, first / 1e6, total / 1e6, rows);
            c.setAutoCommit(true);
          }
        }
    }
}
