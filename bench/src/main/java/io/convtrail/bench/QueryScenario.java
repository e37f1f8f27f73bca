package io.convtrail.bench;

import io.convtrail.testsupport.api.ConvtrailApi;
import io.convtrail.testsupport.store.EventStoreProbe;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Scenario 5: one conversation grown to N events through real turns, then its raw audit and its
 * trace fetched repeatedly over HTTP, one request at a time. Baseline: the same rows selected
 * with direct SQL over JDBC (the read model's query, without the service around it). Then pages of
 * its trace by turn (the first page and one in the middle), beside the same page of a short
 * conversation: a page should cost the same whatever the conversation's length.
 */
final class QueryScenario {

    private final BenchOptions options;
    private final BenchDatabase db;
    private final ConvtrailApi client;

    /** Turns per page of the paged-trace figures. */
    private static final int PAGE_TURNS = 10;

    QueryScenario(BenchOptions options, BenchDatabase db, ConvtrailApi client) {
        this.options = options;
        this.db = db;
        this.client = client;
    }

    List<Figure> run(Map<String, Object> details) throws Exception {
        UUID conversation = UUID.randomUUID();
        grow(conversation);
        ProjectionTokens.awaitCaughtUp(db, db.head(), 300, "s5 projections catching up");
        long events = count("SELECT count(*) FROM audit_event WHERE conversation_id = ?", conversation);
        int repeats = options.queryRepeats();
        String audit = "/api/v1/conversation/audit/" + conversation;
        Timed rawAudit = Phases.timed("5 GET raw audit", () -> timedGets(audit, repeats, "s5 GET raw audit"));
        Timed trace = Phases.timed("5 GET trace", () -> timedGets(audit + "/trace", repeats, "s5 GET trace"));
        Percentiles sql = directSql(conversation, repeats);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("events", events);
        d.put("auditBytes", rawAudit.bytes);
        d.put("traceBytes", trace.bytes);
        d.put("traceStatus", trace.status);
        details.put("s5", d);
        List<Figure> figures = new ArrayList<>();
        String base = "direct SQL, all rows of the conversation";
        figures.add(Figure.latency("5", "GET raw audit, " + events + " events", rawAudit.latency, base, sql,
                "≤ 50 ms (p99)", rawAudit.latency.p99Millis() <= 50, String.format("%d KB", rawAudit.bytes / 1024)));
        if (trace.status == 200) {
            figures.add(Figure.latency("5", "GET trace, " + events + " events", trace.latency, base, sql,
                    "≤ 100 ms (p99)", trace.latency.p99Millis() <= 100,
                    String.format("%d KB", trace.bytes / 1024)));
        } else {
            Progress.say("s5: the trace answered HTTP " + trace.status + "; no trace figure");
        }
        pages(conversation, events, repeats, figures, d);
        return figures;
    }

    /**
     * The paged trace: the long conversation's first page and a page in its middle, each beside the
     * first page of a conversation of {@value #PAGE_TURNS} turns (the same number of turns read).
     */
    private void pages(UUID conversation, long events, int repeats, List<Figure> figures, Map<String, Object> d)
            throws Exception {
        long lastTurn = count("SELECT COALESCE(max(turn_index), 0) FROM trace_turn WHERE conversation_id = ?",
                conversation);
        String firstPage = "/api/v1/conversation/audit/" + conversation + "/trace?fromTurn=1&turns=" + PAGE_TURNS;
        if (!client.get(firstPage).body().contains("\"nextFromTurn\"")) {
            Progress.say("s5: the service answers no paged trace; no page figures");
            return;
        }
        UUID shortConversation = UUID.randomUUID();
        for (int turn = 0; turn < PAGE_TURNS; turn++) {
            int status = client.turn(shortConversation, options.messages().get(turn % options.messages().size()));
            if (status != 200) {
                throw new IllegalStateException("turn answered HTTP " + status);
            }
        }
        ProjectionTokens.awaitCaughtUp(db, db.head(), 60, "s5 projections catching up");
        long middle = Math.max(1, lastTurn / 2);
        String middlePage = "/api/v1/conversation/audit/" + conversation + "/trace?fromTurn=" + middle + "&turns="
                + PAGE_TURNS;
        Timed shortPage = Phases.timed("5 GET trace page, short conversation", () -> timedGets(
                "/api/v1/conversation/audit/" + shortConversation + "/trace?fromTurn=1&turns=" + PAGE_TURNS, repeats,
                "s5 GET trace page, short conversation"));
        Timed first = Phases.timed("5 GET trace page 1", () -> timedGets(firstPage, repeats, "s5 GET trace page 1"));
        Timed inTheMiddle = Phases.timed("5 GET trace page in the middle",
                () -> timedGets(middlePage, repeats, "s5 GET trace page in the middle"));
        d.put("lastTurn", lastTurn);
        d.put("pageTurns", PAGE_TURNS);
        d.put("pageBytes", List.of(shortPage.bytes, first.bytes, inTheMiddle.bytes));
        String base = "same page (" + PAGE_TURNS + " turns) of a " + PAGE_TURNS + "-turn conversation";
        String target = "≈ baseline (ratio ≤ 1.5)";
        figures.add(Figure.latency("5", "GET trace page of " + PAGE_TURNS + " turns from turn 1 of " + lastTurn + ", "
                        + events + " events", first.latency, base, shortPage.latency, target,
                first.latency.p50Millis() <= 1.5 * shortPage.latency.p50Millis(),
                String.format("%d KB (baseline %d KB)", first.bytes / 1024, shortPage.bytes / 1024)));
        figures.add(Figure.latency("5", "GET trace page of " + PAGE_TURNS + " turns from turn " + middle + " of "
                        + lastTurn + ", " + events + " events", inTheMiddle.latency, base, shortPage.latency, target,
                inTheMiddle.latency.p50Millis() <= 1.5 * shortPage.latency.p50Millis(),
                String.format("%d KB (baseline %d KB)", inTheMiddle.bytes / 1024, shortPage.bytes / 1024)));
    }

    /**
     * Turns on one conversation until it holds the wanted number of stage and verbose events,
     * counted in the event store (the read model may lag behind).
     */
    private void grow(UUID conversation) throws Exception {
        long[] events = {0};
        int[] turns = {0};
        try (var ignored = Progress.every2s("s5 growing one conversation",
                () -> turns[0] + " turns, " + events[0] + " of " + options.queryEvents() + " events")) {
            while (events[0] < options.queryEvents()) {
                for (int i = 0; i < 5; i++) {
                    int status = client.turn(conversation, options.messages().get(turns[0]++ % options.messages().size()));
                    if (status != 200) {
                        throw new IllegalStateException("turn answered HTTP " + status);
                    }
                }
                events[0] = new EventStoreProbe(db::connect).records(conversation);
            }
        }
    }

    private long count(String sql, Object conversation) throws Exception {
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, conversation);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private record Timed(Percentiles latency, int status, long bytes) {
    }

    private Timed timedGets(String path, int repeats, String label) throws Exception {
        LongList latencies = new LongList();
        int status = 0;
        long bytes = 0;
        try (var ignored = Progress.every2s(label, () -> latencies.size() + " of " + repeats)) {
            for (int i = 0; i < repeats + 3; i++) {
                long t0 = System.nanoTime();
                HttpResponse<byte[]> r = client.getBytes(path);
                long micros = (System.nanoTime() - t0) / 1_000;
                status = r.statusCode();
                bytes = r.body().length;
                if (status != 200) {
                    break;
                }
                if (i >= 3) {
                    latencies.add(micros);
                }
            }
        }
        return new Timed(Percentiles.of(latencies), status, bytes);
    }

    private Percentiles directSql(UUID conversation, int repeats) throws Exception {
        LongList latencies = new LongList();
        try (Connection c = db.connect();
             PreparedStatement s = c.prepareStatement("""
                     SELECT audit_id, conversation_id, seq, kind, stage, payload_json, created_at
                     FROM audit_event WHERE conversation_id = ? ORDER BY audit_id""")) {
            for (int i = 0; i < repeats + 3; i++) {
                long t0 = System.nanoTime();
                s.setObject(1, conversation);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        rs.getLong(1);
                        rs.getObject(2);
                        rs.getLong(3);
                        rs.getString(4);
                        rs.getString(5);
                        rs.getString(6);
                        rs.getTimestamp(7);
                    }
                }
                if (i >= 3) {
                    latencies.add((System.nanoTime() - t0) / 1_000);
                }
            }
        }
        return Percentiles.of(latencies);
    }
}
