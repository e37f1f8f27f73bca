package io.convtrail.bench;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/**
 * The baseline for a rebuild: reading every stored event in global order with plain JDBC (fetch
 * size 1,000) and parsing its JSON payload with Jackson, and nothing else: what any replay must
 * at least do, without writing a read model or a token.
 */
final class RawReplayBound {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RawReplayBound() {
    }

    /** Events/s: the median of whole seconds (the overall rate when it took under two seconds). */
    static double eventsPerSecond(BenchDatabase db) throws Exception {
        List<Double> perSecond = new ArrayList<>();
        long start = System.nanoTime();
        long count = 0;
        long inSecond = 0;
        long secondEnds = start + 1_000_000_000L;
        try (Connection c = db.connect();
             PreparedStatement s = c.prepareStatement(
                     "SELECT globalindex, payloadtype, payload FROM domainevententry ORDER BY globalindex");
             var ignored = Progress.every2s("s4 baseline, reading all events", () -> perSecond.size() + " s")) {
            c.setAutoCommit(false);
            s.setFetchSize(1_000);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rs.getLong(1);
                    rs.getString(2);
                    JSON.readTree(rs.getBytes(3));
                    count++;
                    inSecond++;
                    long now = System.nanoTime();
                    if (now >= secondEnds) {
                        perSecond.add((double) inSecond);
                        inSecond = 0;
                        secondEnds += 1_000_000_000L;
                    }
                }
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (perSecond.size() < 2) {
            return count / elapsed;
        }
        return Percentiles.median(perSecond.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
