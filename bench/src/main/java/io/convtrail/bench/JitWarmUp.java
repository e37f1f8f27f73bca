package io.convtrail.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the targeted load (16 clients) on a freshly started service until its JIT compiler has settled, before any
 * step is measured. On two cores a Spring and Axon service keeps its compiler threads busy for two to three minutes
 * under a new load (25–35 % of its CPU in the first two minutes, under 10 % from the third on, on an Intel Xeon):
 * a step measured within that time charges a start-up transient to every turn, which a service that runs for hours
 * does not pay. The compiler's share of the service's CPU is read from /proc in slices; the warm-up ends at the first
 * slice below {@link #SETTLED_SHARE}, or after the given time. Every step still runs its own warm-up and prints the
 * compiler's and the collector's share of its window, so what is left shows.
 */
final class JitWarmUp {

    /** The targeted load of scenario 1 (the turns/s, CPU per turn and lag targets are at 16 clients). */
    static final int CLIENTS = 16;
    /** The compiler's share of the service's CPU in a slice at which the service counts as warm. */
    static final double SETTLED_SHARE = 0.10;
    private static final int SLICE_SECONDS = 10;

    private JitWarmUp() {
    }

    /**
     * Warms the service up for at most {@code maxSeconds} (0: not at all) and returns what it did: each slice's
     * compiler share, whether it settled and after how long.
     */
    static Map<String, Object> run(TurnDriver driver, List<Long> servicePids, BenchDatabase db, int maxSeconds,
                                   int turnsPerConversation) throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("maxSeconds", maxSeconds);
        result.put("settledBelowShare", SETTLED_SHARE);
        List<Double> shares = new ArrayList<>();
        int elapsed = 0;
        boolean settled = false;
        while (!settled && elapsed < maxSeconds) {
            int seconds = Math.min(SLICE_SECONDS, maxSeconds - elapsed);
            CpuAccount account = CpuAccount.start(servicePids, db);
            TurnDriver.Run turns = driver.fresh(CLIENTS, seconds, turnsPerConversation, "JIT warm-up");
            CpuAccount.Usage cpu = account.stop();
            elapsed += seconds;
            double share = cpu.serviceMs() > 0 ? cpu.serviceJitMs() / cpu.serviceMs() : Double.NaN;
            shares.add(Double.isNaN(share) ? null : Math.round(share * 1000) / 1000.0);
            // an unreadable share (no compiler threads: not a JVM) cannot settle any further
            settled = Double.isNaN(share) || share < SETTLED_SHARE;
            Progress.say(String.format("JIT warm-up, %d clients, %d s: %d turns, compiler %.0f %% and GC %.0f %% of "
                            + "the service's CPU", CLIENTS, elapsed, turns.turns(), 100 * share,
                    100 * cpu.serviceGcMs() / cpu.serviceMs()));
        }
        result.put("seconds", elapsed);
        result.put("settled", settled);
        result.put("compilerShareBySlice", shares);
        Progress.say(settled ? "JIT warm-up: settled after " + elapsed + " s"
                : "JIT warm-up: not settled within " + maxSeconds + " s; the steps' figures include its compiling");
        return result;
    }
}
