package io.convtrail.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a step's CPU went, from /proc: the service (its JVM, or the processes given with {@code --target-pids}), PostgreSQL (see {@link BenchDatabase#serverCpu()}), the
 * bench's own JVM (its clients) and the whole machine, so that the three can be checked against the machine and
 * what is left over (other programs on a shared machine) shows.
 */
final class CpuAccount {

    private final List<Long> servicePids;
    private final BenchDatabase db;
    private final long startedAt;
    private final long service;
    /** The service's JIT compiler and GC threads' CPU so far, {jit, gc}: parts of {@link #service}. */
    private final long[] jitAndGc;
    private final BenchDatabase.ServerCpu postgres;
    private final long bench;
    private final long machine;

    private CpuAccount(List<Long> servicePids, BenchDatabase db) {
        this.servicePids = servicePids;
        this.db = db;
        long before = System.nanoTime();
        this.service = ProcessCpu.ofProcesses(servicePids);
        this.jitAndGc = jitAndGc(servicePids);
        this.postgres = db.serverCpu();
        this.bench = ProcessCpu.ofProcess(ProcessHandle.current().pid());
        this.machine = ProcessCpu.machine()[0];
        // scanning /proc takes a while on a busy machine: the window is timed from the middle of the readings
        this.startedAt = (before + System.nanoTime()) / 2;
    }

    /** Starts counting now for the service the bench started. */
    static CpuAccount start(ServiceProcess service, BenchDatabase db) {
        return start(List.of(service.pid()), db);
    }

    /** Starts counting now; the service is the given processes together. */
    static CpuAccount start(List<Long> servicePids, BenchDatabase db) {
        return new CpuAccount(List.copyOf(servicePids), db);
    }

    /** CPU milliseconds each part spent since the start; NaN where it could not be read. */
    Usage stop() {
        long before = System.nanoTime();
        long serviceNow = ProcessCpu.ofProcesses(servicePids);
        long[] jitAndGcNow = jitAndGc(servicePids);
        long postgresUsed = db.serverCpu().since(postgres);
        long benchNow = ProcessCpu.ofProcess(ProcessHandle.current().pid());
        long machineNow = ProcessCpu.machine()[0];
        double seconds = ((before + System.nanoTime()) / 2 - startedAt) / 1e9;
        return new Usage(seconds, millis(service, serviceNow), millis(jitAndGc[0], jitAndGcNow[0]),
                millis(jitAndGc[1], jitAndGcNow[1]), postgresUsed < 0 ? Double.NaN : postgresUsed / 1e6,
                millis(bench, benchNow), (machineNow - machine) / 1e6, postgres.scope());
    }

    /** {jit, gc} CPU of the processes together, -1 where any is gone. */
    private static long[] jitAndGc(List<Long> pids) {
        long[] total = new long[2];
        for (long pid : pids) {
            long[] own = ProcessCpu.ofJitAndGc(pid);
            if (own[0] < 0) {
                return new long[]{-1, -1};
            }
            total[0] += own[0];
            total[1] += own[1];
        }
        return total;
    }

    private static double millis(long before, long after) {
        return before < 0 || after < before ? Double.NaN : (after - before) / 1e6;
    }

    /**
     * CPU milliseconds over a window of {@code seconds}. {@code serviceJitMs} and {@code serviceGcMs}: the part of
     * the service's that its JIT compiler and its garbage collector spent. {@code postgresScope}: which processes
     * PostgreSQL is.
     */
    record Usage(double seconds, double serviceMs, double serviceJitMs, double serviceGcMs, double postgresMs,
                 double benchMs, double machineMs, String postgresScope) {

        /** "JIT 7 %, GC 12 % of it", or empty when the threads could not be read. */
        String jitAndGcShares() {
            if (Double.isNaN(serviceJitMs) || Double.isNaN(serviceGcMs) || !(serviceMs > 0)) {
                return "";
            }
            return String.format("; JIT compiler %.0f %%, GC %.0f %% of it", 100 * serviceJitMs / serviceMs,
                    100 * serviceGcMs / serviceMs);
        }

        /** What the machine spent outside the three: other programs (a shared machine), the kernel's own work. */
        double otherMs() {
            return machineMs - serviceMs - (Double.isNaN(postgresMs) ? 0 : postgresMs) - benchMs;
        }

        Map<String, Object> perTurn(long turns) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("windowSeconds", seconds);
            m.put("serviceMsPerTurn", per(serviceMs, turns));
            m.put("serviceJitMsPerTurn", per(serviceJitMs, turns));
            m.put("serviceGcMsPerTurn", per(serviceGcMs, turns));
            m.put("postgresMsPerTurn", per(postgresMs, turns));
            m.put("postgresScope", Double.isNaN(postgresMs) ? "not measured" : postgresScope);
            m.put("benchMsPerTurn", per(benchMs, turns));
            m.put("machineMsPerTurn", per(machineMs, turns));
            m.put("otherMsPerTurn", per(otherMs(), turns));
            m.put("serviceCores", seconds == 0 ? null : serviceMs / 1000 / seconds);
            m.put("postgresCores", seconds == 0 || Double.isNaN(postgresMs) ? null : postgresMs / 1000 / seconds);
            m.put("benchCores", seconds == 0 ? null : benchMs / 1000 / seconds);
            m.put("machineCores", seconds == 0 ? null : machineMs / 1000 / seconds);
            return m;
        }

        /** JSON has no NaN: a figure that could not be measured is null. */
        static Double per(double ms, long turns) {
            return turns == 0 || Double.isNaN(ms) ? null : ms / turns;
        }
    }
}
