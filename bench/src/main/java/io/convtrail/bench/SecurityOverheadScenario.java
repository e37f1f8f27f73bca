package io.convtrail.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 7: what authentication costs. Turns/s at 16 clients with security on (every request
 * carries a token that is verified, every turn checks ownership) and with the service restarted
 * with security off, in the same run. The modes alternate (on, off, on, off), each on a freshly
 * started service after a warm-up, and each mode's per-second counts are pooled, so neither mode
 * profits from running later (a warmer JIT, a quieter machine). The service is left on.
 */
final class SecurityOverheadScenario {

    private static final int CLIENTS = 16;
    private static final int ROUNDS = 2;

    private final BenchOptions options;
    private final BenchDatabase db;
    private final TurnDriver driver;
    private ServiceProcess service;

    SecurityOverheadScenario(BenchOptions options, BenchDatabase db, TurnDriver driver, ServiceProcess service) {
        this.options = options;
        this.db = db;
        this.driver = driver;
        this.service = service;
    }

    /** The running service after the scenario (restarted several times). */
    ServiceProcess service() {
        return service;
    }

    List<Figure> run(Map<String, Object> details) throws Exception {
        List<TurnDriver.Run> on = new ArrayList<>();
        List<TurnDriver.Run> off = new ArrayList<>();
        try {
            for (int round = 1; round <= ROUNDS; round++) {
                service = service.restart(options, db, true);
                on.add(measure("security on, round " + round));
                service = service.restart(options, db, false);
                off.add(measure("security off, round " + round));
            }
        } finally {
            service = service.restart(options, db, true);
        }
        double onRate = Percentiles.median(perSecond(on));
        double offRate = Percentiles.median(perSecond(off));
        double ratio = offRate == 0 ? 0 : onRate / offRate;
        Map<String, Object> level = new LinkedHashMap<>();
        level.put("onTurnsPerRound", on.stream().map(TurnDriver.Run::turns).toList());
        level.put("offTurnsPerRound", off.stream().map(TurnDriver.Run::turns).toList());
        level.put("onMedianPerRound", on.stream().map(TurnDriver.Run::medianTurnsPerSecond).toList());
        level.put("offMedianPerRound", off.stream().map(TurnDriver.Run::medianTurnsPerSecond).toList());
        long failures = on.stream().mapToLong(TurnDriver.Run::failures).sum()
                + off.stream().mapToLong(TurnDriver.Run::failures).sum();
        level.put("failedTurns", failures);
        details.put("s7", level);
        Progress.say(String.format("s7 %d clients: %.0f turns/s with security on, %.0f turns/s off (%.0f %%); "
                        + "per round on %s, off %s", CLIENTS, onRate, offRate, ratio * 100,
                level.get("onMedianPerRound"), level.get("offMedianPerRound")));
        return List.of(
                Figure.rate("7", "turns/s, 16 clients, security on", "turns/s", onRate,
                        "same, security off", offRate, "≥ 90 % of off", ratio >= 0.9,
                        ROUNDS + " alternating rounds each" + (failures == 0 ? "" : "; " + failures + " failed turns")),
                Figure.latency("7", "turn latency, 16 clients, security on", latencies(on),
                        "same, security off", latencies(off), null, null, null));
    }

    private TurnDriver.Run measure(String label) throws Exception {
        driver.fresh(CLIENTS, Math.max(10, options.warmupSeconds()), options.turnsPerConversation(),
                "s7 warm-up, " + label);
        return Phases.timed("7 turns, " + label, () -> driver.fresh(CLIENTS, options.turnSeconds(),
                options.turnsPerConversation(), "s7 " + label));
    }

    static double[] perSecond(List<TurnDriver.Run> runs) {
        return runs.stream().flatMapToDouble(r -> java.util.Arrays.stream(r.turnsPerSecond())).toArray();
    }

    private static Percentiles latencies(List<TurnDriver.Run> runs) {
        LongList all = new LongList();
        for (TurnDriver.Run run : runs) {
            for (int i = 0; i < run.latencies().size(); i++) {
                all.add(run.latencies().get(i));
            }
        }
        return Percentiles.of(all);
    }
}
