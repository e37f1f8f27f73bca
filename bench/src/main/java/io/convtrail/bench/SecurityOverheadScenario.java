package io.convtrail.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 7: what authentication costs. Turns/s at 16 clients with security on (every request
 * carries a token that is verified, every turn checks ownership), then the same with the service
 * restarted with security off, in the same run; restored to on for what follows.
 */
final class SecurityOverheadScenario {

    private static final int CLIENTS = 16;

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

    /** The running service after the scenario (restarted twice). */
    ServiceProcess service() {
        return service;
    }

    List<Figure> run(Map<String, Object> details) throws Exception {
        TurnDriver.Run on = measure("security on");
        service = service.restart(options, db, false);
        TurnDriver.Run off;
        try {
            off = measure("security off");
        } finally {
            service = service.restart(options, db, true);
        }
        double ratio = off.medianTurnsPerSecond() == 0 ? 0 : on.medianTurnsPerSecond() / off.medianTurnsPerSecond();
        Map<String, Object> level = new LinkedHashMap<>();
        level.put("onTurns", on.turns());
        level.put("onStatuses", on.statuses());
        level.put("offTurns", off.turns());
        level.put("offStatuses", off.statuses());
        details.put("s7", level);
        Progress.say(String.format("s7 %d clients: %.0f turns/s with security on, %.0f turns/s off (%.0f %%)",
                CLIENTS, on.medianTurnsPerSecond(), off.medianTurnsPerSecond(), ratio * 100));
        return List.of(
                Figure.rate("7", "turns/s, 16 clients, security on", "turns/s", on.medianTurnsPerSecond(),
                        "same, security off", off.medianTurnsPerSecond(), "≥ 90 % of off", ratio >= 0.9,
                        on.failures() + off.failures() == 0 ? null : (on.failures() + off.failures()) + " failed turns"),
                Figure.latency("7", "turn latency, 16 clients, security on", Percentiles.of(on.latencies()),
                        "same, security off", Percentiles.of(off.latencies()), null, null, null));
    }

    private TurnDriver.Run measure(String label) throws Exception {
        driver.fresh(CLIENTS, options.warmupSeconds(), options.turnsPerConversation(), "s7 warm-up, " + label);
        return Phases.timed("7 turns, " + label, () -> driver.fresh(CLIENTS, options.turnSeconds(),
                options.turnsPerConversation(), "s7 " + label));
    }
}
