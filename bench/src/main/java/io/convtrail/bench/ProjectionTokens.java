package io.convtrail.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;

/**
 * How far the service's event processors are, read from Axon's token table (so it works whatever
 * status endpoint the service offers). A processor is caught up when every segment is at or past
 * the head. (A segment that replayed up to the head keeps its ReplayToken until the next new
 * event, so the token's type cannot tell.)
 */
final class ProjectionTokens {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Lowest position over a processor's segments, and whether any segment is still replaying. */
    record Position(long lowest, boolean replaying, int segments) {
    }

    private ProjectionTokens() {
    }

    static Map<String, Position> read(BenchDatabase db) throws Exception {
        Map<String, Position> processors = new TreeMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT processorname, token, tokentype FROM tokenentry")) {
            while (rs.next()) {
                String type = rs.getString(3);
                byte[] token = rs.getBytes(2);
                boolean replaying = type != null && type.contains("ReplayToken");
                long position = position(token);
                processors.merge(rs.getString(1), new Position(position, replaying, 1),
                        (a, b) -> new Position(Math.min(a.lowest(), b.lowest()), a.replaying() || b.replaying(),
                                a.segments() + b.segments()));
            }
        }
        return processors;
    }

    static boolean caughtUp(Map<String, Position> processors, long head) {
        if (processors.isEmpty()) {
            return head == 0;
        }
        return processors.values().stream().allMatch(p -> p.lowest() >= head);
    }

    /** Waits until every processor is at the head; answers false on timeout. */
    static boolean awaitCaughtUp(BenchDatabase db, long head, int timeoutSeconds, String label) throws Exception {
        return millisUntilCaughtUp(db, head, System.nanoTime(), timeoutSeconds, 100, label) >= 0;
    }

    /**
     * Waits until every processor is at the head, looking every {@code pollMillis}; answers the milliseconds
     * from {@code since} (a System.nanoTime()) until it was, or -1 when it was not within the timeout from then.
     */
    static long millisUntilCaughtUp(BenchDatabase db, long head, long since, int timeoutSeconds, int pollMillis,
                                    String label) throws Exception {
        long deadline = since + timeoutSeconds * 1_000_000_000L;
        try (var ignored = Progress.every2s(label, () -> describe(db, head))) {
            while (System.nanoTime() < deadline) {
                if (caughtUp(read(db), head)) {
                    return (System.nanoTime() - since) / 1_000_000;
                }
                Thread.sleep(pollMillis);
            }
        }
        return -1;
    }

    static String describe(BenchDatabase db, long head) {
        try {
            StringBuilder s = new StringBuilder("head " + head);
            read(db).forEach((name, p) -> s.append(", ").append(name).append(' ').append(p.lowest())
                    .append(p.replaying() ? " (replaying)" : ""));
            return s.toString();
        } catch (Exception e) {
            return e.toString();
        }
    }

    /** Axon's JDBC tokens: GapAwareTrackingToken {index}, GlobalSequenceTrackingToken {globalIndex}, ReplayToken {currentToken}. */
    private static long position(byte[] token) {
        if (token == null) {
            return -1;
        }
        try {
            JsonNode node = JSON.readTree(new String(token, StandardCharsets.UTF_8));
            if (node.has("currentToken")) {
                node = node.get("currentToken");
            }
            if (node == null || node.isNull()) {
                return -1;
            }
            if (node.has("index")) {
                return node.get("index").asLong();
            }
            if (node.has("globalIndex")) {
                return node.get("globalIndex").asLong();
            }
            return -1;
        } catch (Exception e) {
            return -1;
        }
    }
}
