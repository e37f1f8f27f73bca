package io.convtrail.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 1 (turns/s and turn latency over HTTP at each concurrency level, every client on its
 * own conversations) and, in the same windows, scenario 2 (events appended/s against the raw
 * JDBC bound for the same rows). Baseline for HTTP: the same clients calling GET /actuator/info.
 * Each step also charges its CPU per turn (service, PostgreSQL, from /proc) and watches whether the
 * read side keeps up ({@link ReadSideLag}); those figures take the 1-client step as their context.
 */
final class ThroughputScenario {

    static final String INFO = "/actuator/info";
    /** The targets for a loaded step (16 clients and more). */
    private static final double CPU_TARGET_MS = 4;
    private static final double LAG_TARGET_P99_MS = 50;
    private static final long CAUGHT_UP_TARGET_MS = 1_000;
    private static final String CONTEXT = "same, 1 client";

    private final BenchOptions options;
    private final BenchDatabase db;
    private final TurnDriver driver;
    /** The processes whose CPU a turn costs: convtrail's JVM, or those of a service the bench did not start. */
    private final List<Long> servicePids;
    /** Whether the service is convtrail on the bench's database, so that its event store and read side are watched. */
    private final boolean ownStore;
    /** The 1-client step's CPU per turn and read-side figures, once measured: the context of the others. */
    private StepCost context;

    ThroughputScenario(BenchOptions options, BenchDatabase db, TurnDriver driver, List<Long> servicePids) {
        this.options = options;
        this.db = db;
        this.driver = driver;
        this.servicePids = List.copyOf(servicePids);
        this.ownStore = !options.drivesTarget();
    }

    /**
     * What a step cost: CPU ms per turn of the service and of PostgreSQL (NaN: not measured), and its read side (null
     * for a service the bench did not start).
     */
    private record StepCost(double serviceMs, double postgresMs, ReadSideLag.Result readSide) {
        double togetherMs() {
            return serviceMs + postgresMs;
        }
    }

    List<Figure> run(Map<String, Object> details) throws Exception {
        List<Figure> figures = new ArrayList<>();
        for (int clients : options.clients()) {
            String tag = clients + (clients == 1 ? " client" : " clients");
            driver.fresh(clients, options.warmupSeconds(), options.turnsPerConversation(), "s1 warm-up, " + tag);
            Step step = ownStore ? measureWithStore(clients, tag) : measure(clients, tag);
            TurnDriver.Run turns = step.turns();
            CpuAccount.Usage cpu = step.cpu();
            // a service the bench did not start need not have convtrail's actuator: no HTTP baseline then
            TurnDriver.Run info = ownStore ? driver.gets(INFO, clients, Math.min(5, options.turnSeconds()),
                    "s1 baseline GET " + INFO + ", " + tag) : null;
            Percentiles latency = Percentiles.of(turns.latencies());
            Percentiles infoLatency = info == null ? null : Percentiles.of(info.latencies());
            String infoRate = info == null ? null : "GET " + INFO + " req/s";
            double turnRate = turns.medianTurnsPerSecond();
            boolean targeted = clients == 16;
            figures.add(Figure.rate("1", "turns/s, " + tag, "turns/s", turnRate, infoRate,
                    info == null ? Double.NaN : info.medianTurnsPerSecond(), targeted ? "≥ 500" : null,
                    targeted ? turnRate >= 500 : null, null));
            figures.add(Figure.latency("1", "turn latency, " + tag, latency,
                    info == null ? null : "GET " + INFO + " latency", infoLatency, null, null, null));
            StepCost cost = new StepCost(perTurn(cpu.serviceMs(), turns.turns()),
                    perTurn(cpu.postgresMs(), turns.turns()), step.readSide());
            figures.addAll(costFigures(clients, tag, cost, cpu, turns.turns()));
            if (clients == 1) {
                context = cost;
            }
            Map<String, Object> level = new LinkedHashMap<>();
            level.put("turns", turns.turns());
            level.put("failedTurns", turns.failures());
            level.put("statuses", turns.statuses());
            level.put("turnLatencyP50Ms", latency.p50Millis());
            level.put("turnLatencyP99Ms", latency.p99Millis());
            level.put("turnLatencyMaxMs", latency.maxMicros() / 1000.0);
            level.put("cpu", cpu.perTurn(turns.turns()));
            if (ownStore) {
                storeFigures(clients, tag, step, level, figures);
            }
            details.put("s1." + clients, level);
            Progress.say(String.format("s1 %s: %.0f turns/s, p50 %.1f ms, p99 %.1f ms%s", tag, turnRate,
                    latency.p50Millis(), latency.p99Millis(), ownStore ? String.format(", %.1f events and %.1f "
                            + "event-store commits per turn", level.get("eventsPerTurn"), level.get("commitsPerTurn"))
                            : ""));
            Progress.say(String.format("s1 %s: CPU per turn service %.2f ms (%s), PostgreSQL %.2f ms, bench %.2f ms, "
                            + "machine %.2f ms%s", tag, cost.serviceMs(), cpu.jitAndGcShares().replaceFirst("^; ", ""),
                    cost.postgresMs(),
                    perTurn(cpu.benchMs(), turns.turns()), perTurn(cpu.machineMs(), turns.turns()),
                    step.readSide() == null ? "" : readSideLine(step.readSide())));
        }
        return figures;
    }

    /** One measured step: its turns, their CPU, and with convtrail's store, the read side and the head before/after. */
    private record Step(TurnDriver.Run turns, CpuAccount.Usage cpu, ReadSideLag.Result readSide, long before,
                        long after, double[] appends) {
    }

    /** A service the bench did not start: turns and CPU only (its store is not convtrail's). */
    private Step measure(int clients, String tag) throws Exception {
        CpuAccount account = CpuAccount.start(servicePids, db);
        TurnDriver.Run turns = Phases.timed("1 turns, " + tag, () -> driver.fresh(clients, options.turnSeconds(),
                options.turnsPerConversation(), "s1 " + tag));
        return new Step(turns, account.stop(), null, 0, 0, null);
    }

    /** convtrail: the same, while the event store's head and the projections' tokens are watched. */
    private Step measureWithStore(int clients, String tag) throws Exception {
        TurnDriver.Run turns;
        double[] appends;
        long before;
        long after;
        CpuAccount.Usage cpu;
        ReadSideLag.Result lag;
        try (ReadSideLag readSide = new ReadSideLag(db)) {
            long stoppedAt;
            try (AppendRateSampler sampler = new AppendRateSampler(db)) {
                before = sampler.first();
                CpuAccount account = CpuAccount.start(servicePids, db);
                turns = Phases.timed("1 turns, " + tag, () -> driver.fresh(clients, options.turnSeconds(),
                        options.turnsPerConversation(), "s1 " + tag));
                stoppedAt = System.nanoTime();
                cpu = account.stop();
                after = db.head();
                appends = sampler.perSecond();
            }
            lag = readSide.finish(after, stoppedAt, Math.max(30, 3 * options.turnSeconds()),
                    "s1 read side catching up, " + tag);
        }
        return new Step(turns, cpu, lag, before, after, appends);
    }

    /** Events and commits per turn, and scenario 2: the step's appends against the raw JDBC bound. */
    private void storeFigures(int clients, String tag, Step step, Map<String, Object> level, List<Figure> figures)
            throws Exception {
        long turns = step.turns().turns();
        long events = step.after() - step.before();
        level.put("eventsAppended", events);
        level.put("eventsPerTurn", turns == 0 ? 0.0 : (double) events / turns);
        long commits = db.queryLong("SELECT count(DISTINCT xmin::text) FROM domainevententry WHERE globalindex > "
                + step.before() + " AND globalindex <= " + step.after());
        level.put("commitsPerTurn", turns == 0 ? 0.0 : (double) commits / turns);
        level.put("readSide", step.readSide().details());
        if (options.runs(2)) {
            RawAppendBound.Result raw = new RawAppendBound(db).insertAgain(step.before(), step.after());
            double appendRate = Percentiles.median(step.appends());
            double ratio = raw.medianRowsPerSecond() == 0 ? 0 : appendRate / raw.medianRowsPerSecond();
            figures.add(Figure.rate("2", "events appended/s, " + tag, "events/s", appendRate,
                    "raw batched JDBC insert, same rows", raw.medianRowsPerSecond(), "≥ 50 % of raw",
                    ratio >= 0.5, String.format("%d rows of %.0f B", raw.rows(), raw.meanRowBytes())));
            level.put("rawRows", raw.rows());
            level.put("rawMeanRowBytes", raw.meanRowBytes());
            level.put("rawSeconds", raw.seconds());
        }
    }

    private static String readSideLine(ReadSideLag.Result lag) {
        return String.format("; commit→read model p99 %.1f ms, %d events behind (p99), all projections at the head %s "
                        + "after the load", lag.commitToReadModel().p99Millis(), lag.behindP99(),
                lag.caughtUpMillis() < 0 ? "not within " + lag.timeoutSeconds() + " s" : lag.caughtUpMillis() + " ms");
    }

    /** CPU per turn and the read side of one step, each beside the 1-client step; targets on loaded steps. */
    private List<Figure> costFigures(int clients, String tag, StepCost cost, CpuAccount.Usage cpu, long turns) {
        boolean loaded = clients >= 16;
        StepCost base = clients == 1 ? null : context;
        String baseline = base == null ? null : CONTEXT;
        List<Figure> figures = new ArrayList<>();
        figures.add(Figure.rate("1", "CPU per turn, service, " + tag, Figure.CPU_PER_TURN, cost.serviceMs(), baseline,
                base == null ? Double.NaN : base.serviceMs(), null, null,
                String.format("%.2f cores%s", cpu.serviceMs() / 1000 / cpu.seconds(), cpu.jitAndGcShares())));
        figures.add(Figure.rate("1", "CPU per turn, PostgreSQL, " + tag, Figure.CPU_PER_TURN, cost.postgresMs(),
                baseline, base == null ? Double.NaN : base.postgresMs(), null, null,
                Double.isNaN(cpu.postgresMs()) ? "not measured: the server's processes are not on this machine"
                        : String.format("%.2f cores; %s", cpu.postgresMs() / 1000 / cpu.seconds(), cpu.postgresScope())));
        double together = cost.togetherMs();
        figures.add(Figure.rate("1", "CPU per turn, service + PostgreSQL, " + tag, Figure.CPU_PER_TURN, together,
                baseline, base == null ? Double.NaN : base.togetherMs(), loaded ? "≤ 4 ms" : null,
                loaded && !Double.isNaN(together) ? together <= CPU_TARGET_MS : null,
                String.format("bench JVM %.2f ms, whole machine %.2f ms (other processes %.2f ms) per turn",
                        perTurn(cpu.benchMs(), turns), perTurn(cpu.machineMs(), turns), perTurn(cpu.otherMs(), turns))));
        ReadSideLag.Result lag = cost.readSide();
        if (lag == null) {
            return figures;
        }
        Percentiles commit = lag.commitToReadModel();
        figures.add(Figure.latency("1", "commit→read model (audit row), " + tag, commit, baseline,
                base == null ? null : base.readSide().commitToReadModel(), loaded ? "p99 ≤ 50 ms" : null,
                loaded && commit.count() > 0 ? commit.p99Millis() <= LAG_TARGET_P99_MS : null,
                String.format("%d sampled events%s; events behind the head p99 %,d (max %,d) %s", commit.count(),
                        lag.caughtUpMillis() < 0 ? " (read before the audit reached the head: the events it had not "
                                + "projected yet are missing, so this is a lower bound)" : "",
                        lag.behindP99(), lag.behindMax(), lag.behindP99ByProjection())));
        boolean caughtUp = lag.caughtUpMillis() >= 0;
        figures.add(Figure.rate("1", "every projection at the head after the load, " + tag, "ms",
                caughtUp ? lag.caughtUpMillis() : lag.timeoutSeconds() * 1000.0, baseline,
                base == null || base.readSide().caughtUpMillis() < 0 ? Double.NaN : base.readSide().caughtUpMillis(),
                loaded ? "≤ 1 s" : null, loaded ? caughtUp && lag.caughtUpMillis() <= CAUGHT_UP_TARGET_MS : null,
                caughtUp ? null : "not at the head within " + lag.timeoutSeconds() + " s"));
        return figures;
    }

    private static double perTurn(double ms, long turns) {
        return turns == 0 ? Double.NaN : ms / turns;
    }
}
