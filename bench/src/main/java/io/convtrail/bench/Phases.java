package io.convtrail.bench;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * When each measured step ran (wall clock, UTC), so that a profile of the service can be cut by
 * step ({@code bench/jfr-hotspots.py}), and how busy the machine's CPUs were meanwhile (from
 * {@code /proc/stat}) and how much of it the service used: a figure far from its target on an
 * idle machine waits on something (round trips, a timer), on a busy one it is short of CPU.
 */
final class Phases {

    private static final Map<String, Map<String, Object>> WINDOWS = new LinkedHashMap<>();
    private static volatile long servicePid;

    private Phases() {
    }

    /** A step that measures something. */
    interface Step<T> {
        T run() throws Exception;
    }

    static void service(long pid) {
        servicePid = pid;
    }

    static <T> T timed(String name, Step<T> step) throws Exception {
        String start = Instant.now().toString();
        long[] cpu = ProcessCpu.machine();
        long pid = servicePid;
        long serviceCpu = serviceCpuNanos();
        long t0 = System.nanoTime();
        try {
            return step.run();
        } finally {
            double seconds = (System.nanoTime() - t0) / 1e9;
            long[] after = ProcessCpu.machine();
            Map<String, Object> window = new LinkedHashMap<>();
            window.put("start", start);
            window.put("end", Instant.now().toString());
            long total = after[1] - cpu[1];
            if (total > 0) {
                window.put("machineCpuBusyPercent", Math.round(100.0 * (after[0] - cpu[0]) / total));
            }
            long used = serviceCpuNanos() - serviceCpu;
            // a restart in between makes it another process: its CPU time says nothing about this window
            if (pid == servicePid && serviceCpu >= 0 && used >= 0 && seconds > 0) {
                window.put("serviceCpuCores", Math.round(100.0 * used / 1e9 / seconds) / 100.0);
            }
            synchronized (WINDOWS) {
                WINDOWS.put(name, window);
            }
        }
    }

    static Map<String, Map<String, Object>> all() {
        synchronized (WINDOWS) {
            return new LinkedHashMap<>(WINDOWS);
        }
    }

    /** CPU time the service process has used so far, or -1. */
    private static long serviceCpuNanos() {
        long pid = servicePid;
        if (pid == 0) {
            return -1;
        }
        return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration()).map(d -> d.toNanos()).orElse(-1L);
    }
}
