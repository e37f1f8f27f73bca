package io.convtrail.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 1 (turns/s and turn latency over HTTP at each concurrency level, every client on its
 * own conversations) and, in the same windows, scenario 2 (events appended/s against the raw
 * JDBC bound for the same rows). Baseline for HTTP: the same clients calling GET /actuator/info.
 */
final class ThroughputScenario {

    static final String INFO = "/actuator/info";

    private final BenchOptions options;
    private final BenchDatabase db;
    private final TurnDriver driver;

    ThroughputScenario(BenchOptions options, BenchDatabase db, TurnDriver driver) {
        this.options = options;
        this.db = db;
        this.driver = driver;
    }

    List<Figure> run(Map<String, Object> details) throws Exception {
        List<Figure> figures = new ArrayList<>();
        for (int clients : options.clients()) {
            String tag = clients + (clients == 1 ? " client" : " clients");
            driver.fresh(clients, options.warmupSeconds(), options.turnsPerConversation(), "s1 warm-up, " + tag);
            TurnDriver.Run turns;
            double[] appends;
            long before;
            long after;
            try (AppendRateSampler sampler = new AppendRateSampler(db)) {
                before = sampler.first();
                turns = Phases.timed("1 turns, " + tag, () -> driver.fresh(clients, options.turnSeconds(),
                        options.turnsPerConversation(), "s1 " + tag));
                after = db.head();
                appends = sampler.perSecond();
            }
            TurnDriver.Run info = driver.gets(INFO, clients, Math.min(5, options.turnSeconds()),
                    "s1 baseline GET " + INFO + ", " + tag);
            Percentiles latency = Percentiles.of(turns.latencies());
            Percentiles infoLatency = Percentiles.of(info.latencies());
            double turnRate = turns.medianTurnsPerSecond();
            boolean targeted = clients == 16;
            figures.add(Figure.rate("1", "turns/s, " + tag, "turns/s", turnRate, "GET " + INFO + " req/s",
                    info.medianTurnsPerSecond(), targeted ? "≥ 500" : null, targeted ? turnRate >= 500 : null,
                    null));
            figures.add(Figure.latency("1", "turn latency, " + tag, latency, "GET " + INFO + " latency",
                    infoLatency, null, null, null));
            long events = after - before;
            Map<String, Object> level = new LinkedHashMap<>();
            level.put("turns", turns.turns());
            level.put("failedTurns", turns.failures());
            level.put("statuses", turns.statuses());
            level.put("turnLatencyMaxMs", latency.maxMicros() / 1000.0);
            level.put("eventsAppended", events);
            level.put("eventsPerTurn", turns.turns() == 0 ? 0.0 : (double) events / turns.turns());
            long commits = db.queryLong("SELECT count(DISTINCT xmin::text) FROM domainevententry WHERE globalindex > "
                    + before + " AND globalindex <= " + after);
            level.put("commitsPerTurn", turns.turns() == 0 ? 0.0 : (double) commits / turns.turns());
            if (options.runs(2)) {
                RawAppendBound.Result raw = new RawAppendBound(db).insertAgain(before, after);
                double appendRate = Percentiles.median(appends);
                double ratio = raw.medianRowsPerSecond() == 0 ? 0 : appendRate / raw.medianRowsPerSecond();
                figures.add(Figure.rate("2", "events appended/s, " + tag, "events/s", appendRate,
                        "raw batched JDBC insert, same rows", raw.medianRowsPerSecond(), "≥ 50 % of raw",
                        ratio >= 0.5, String.format("%d rows of %.0f B", raw.rows(), raw.meanRowBytes())));
                level.put("rawRows", raw.rows());
                level.put("rawMeanRowBytes", raw.meanRowBytes());
                level.put("rawSeconds", raw.seconds());
            }
            details.put("s1." + clients, level);
            Progress.say(String.format("s1 %s: %.0f turns/s, p50 %.1f ms, p99 %.1f ms, %.1f events and %.1f "
                            + "event-store commits per turn", tag, turnRate, latency.p50Millis(), latency.p99Millis(),
                    level.get("eventsPerTurn"), level.get("commitsPerTurn")));
        }
        return figures;
    }
}
