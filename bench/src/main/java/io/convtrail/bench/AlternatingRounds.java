package io.convtrail.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one service setting costs (scenarios 7, 10, 11): turns/s at 16 clients with the setting on and with the
 * service restarted with it off, in the same run. The modes alternate (on, off, on, off), each on a freshly
 * started service after a warm-up, and each mode's per-second counts are pooled, so neither mode profits from
 * running later (a warmer JIT, a quieter machine). Afterwards the service runs in the default settings again.
 */
final class AlternatingRounds {

    static final int CLIENTS = 16;
    private static final int ROUNDS = 2;

    /** Work to do on the service after the last round of a mode, while it still runs in that mode's setting. */
    interface AfterLastRound {
        void run() throws Exception;
    }

    private final BenchOptions options;
    private final BenchDatabase db;
    private ServiceProcess service;

    AlternatingRounds(BenchOptions options, BenchDatabase db, ServiceProcess service) {
        this.options = options;
        this.db = db;
        this.service = service;
    }

    /** The running service (restarted by every round). */
    ServiceProcess service() {
        return service;
    }

    Result run(String scenario, String setting, TurnDriver driver, ServiceProcess.Settings on,
               ServiceProcess.Settings off) throws Exception {
        return run(scenario, setting, driver, on, off, () -> { }, () -> { });
    }

    /**
     * {@code setting} names what is switched ("security"): the modes are "security on" and "security off".
     * {@code whileOn} and {@code whileOff} run after each mode's last round, on its service, warmed alike by a
     * warm-up and a round of turns, so that work timed in both modes (a rebuild) compares like with like.
     */
    Result run(String scenario, String setting, TurnDriver driver, ServiceProcess.Settings on,
               ServiceProcess.Settings off, AfterLastRound whileOn, AfterLastRound whileOff) throws Exception {
        List<TurnDriver.Run> onRuns = new ArrayList<>();
        List<TurnDriver.Run> offRuns = new ArrayList<>();
        Result result = new Result(scenario, setting, onRuns, offRuns);
        try {
            for (int round = 1; round <= ROUNDS; round++) {
                service = service.restart(options, db, on);
                onRuns.add(measure(scenario, driver, setting + " on, round " + round));
                if (round == ROUNDS) {
                    whileOn.run();
                }
                service = service.restart(options, db, off);
                offRuns.add(measure(scenario, driver, setting + " off, round " + round));
            }
            Progress.say(String.format("s%s %d clients: %.0f turns/s with %s on, %.0f off (%.0f %%); per round on %s, "
                            + "off %s; %d failed turns", scenario, CLIENTS, result.onRate(), setting, result.offRate(),
                    result.ratio() * 100, medians(onRuns), medians(offRuns), result.failures()));
            whileOff.run();
        } finally {
            service = service.restart(options, db, ServiceProcess.Settings.DEFAULT);
        }
        return result;
    }

    private TurnDriver.Run measure(String scenario, TurnDriver driver, String label) throws Exception {
        driver.fresh(CLIENTS, Math.max(10, options.warmupSeconds()), options.turnsPerConversation(),
                "s" + scenario + " warm-up, " + label);
        TurnDriver.Run run = Phases.timed(scenario + " turns, " + label, () -> driver.fresh(CLIENTS,
                options.turnSeconds(), options.turnsPerConversation(), "s" + scenario + " " + label));
        Progress.say("s" + scenario + " " + label + ", read-side backpressure since start: "
                + BackpressureMeters.of(service));
        return run;
    }

    private static List<Double> medians(List<TurnDriver.Run> runs) {
        return runs.stream().map(TurnDriver.Run::medianTurnsPerSecond).toList();
    }

    /** Both modes' rounds; the target is the issues' "≥ 90 % of off". */
    record Result(String scenario, String setting, List<TurnDriver.Run> on, List<TurnDriver.Run> off) {

        double onRate() {
            return Percentiles.median(perSecond(on));
        }

        double offRate() {
            return Percentiles.median(perSecond(off));
        }

        double ratio() {
            return offRate() == 0 ? 0 : onRate() / offRate();
        }

        long failures() {
            return on.stream().mapToLong(TurnDriver.Run::failures).sum()
                    + off.stream().mapToLong(TurnDriver.Run::failures).sum();
        }

        /** {@code what}: the turns measured ("16 clients"), in the figures' names. */
        List<Figure> figures(String what) {
            long failures = failures();
            return List.of(
                    Figure.rate(scenario, "turns/s, " + what + ", " + setting + " on", "turns/s", onRate(),
                            "same, " + setting + " off", offRate(), "≥ 90 % of off", ratio() >= 0.9,
                            ROUNDS + " alternating rounds each" + (failures == 0 ? "" : "; " + failures + " failed turns")),
                    Figure.latency(scenario, "turn latency, " + what + ", " + setting + " on", latencies(on),
                            "same, " + setting + " off", latencies(off), null, null, null));
        }

        Map<String, Object> details() {
            Map<String, Object> level = new LinkedHashMap<>();
            level.put("onTurnsPerRound", on.stream().map(TurnDriver.Run::turns).toList());
            level.put("offTurnsPerRound", off.stream().map(TurnDriver.Run::turns).toList());
            level.put("onMedianPerRound", medians(on));
            level.put("offMedianPerRound", medians(off));
            level.put("failedTurns", failures());
            return level;
        }

        private static double[] perSecond(List<TurnDriver.Run> runs) {
            return runs.stream().flatMapToDouble(r -> Arrays.stream(r.turnsPerSecond())).toArray();
        }

        private static Percentiles latencies(List<TurnDriver.Run> runs) {
            LongList all = new LongList();
            runs.forEach(r -> all.addAll(r.latencies()));
            return Percentiles.of(all);
        }
    }
}
