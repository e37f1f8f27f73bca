package io.convtrail.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time from /proc, in nanoseconds: of one process ({@code utime + stime}), of a process tree and of the
 * whole machine. Linux counts it in clock ticks (10 ms), so a figure over a window of seconds is exact to
 * about a hundredth.
 */
final class ProcessCpu {

    /** USER_HZ: fixed at 100 by the kernel's ABI on every architecture the bench runs on. */
    private static final long TICK_NANOS = 10_000_000L;

    private ProcessCpu() {
    }

    /** CPU time of the process so far, or -1 when it is gone or /proc is not there. */
    static long ofProcess(long pid) {
        long[] f = stat(pid);
        return f == null ? -1 : (f[UTIME] + f[STIME]) * TICK_NANOS;
    }

    /** CPU time of the processes together so far, or -1 when any of them is gone: its share would be missing. */
    static long ofProcesses(List<Long> pids) {
        long total = 0;
        for (long pid : pids) {
            long nanos = ofProcess(pid);
            if (nanos < 0) {
                return -1;
            }
            total += nanos;
        }
        return total;
    }

    /**
     * CPU time of the process, of its children it has reaped ({@code cutime + cstime}: a server's ended
     * connections) and of every live descendant; -1 when the root is gone. Its difference over a window holds
     * every process that ran under the root meanwhile, however short-lived, as long as the root reaps it.
     */
    static long ofTree(long root) {
        Map<Long, List<Long>> children = new HashMap<>();
        Map<Long, Long> own = new HashMap<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                long pid = Long.parseLong(p.getFileName().toString());
                long[] f = stat(pid);
                if (f != null) {
                    children.computeIfAbsent(f[PPID], k -> new ArrayList<>()).add(pid);
                    own.put(pid, (f[UTIME] + f[STIME] + f[CUTIME] + f[CSTIME]) * TICK_NANOS);
                }
            }
        } catch (IOException e) {
            return -1;
        }
        if (!own.containsKey(root)) {
            return -1;
        }
        long total = 0;
        Deque<Long> todo = new ArrayDeque<>(List.of(root));
        while (!todo.isEmpty()) {
            long pid = todo.pop();
            total += own.getOrDefault(pid, 0L);
            todo.addAll(children.getOrDefault(pid, List.of()));
        }
        return total;
    }

    /**
     * CPU time so far of the process's JIT compiler threads ({@code C1/C2 CompilerThread}, the code cache sweeper) and
     * of its garbage collector's threads ({@code GC Thread#n}, G1's concurrent, refinement and service threads), as
     * {jit, gc}; {-1, -1} when the process is gone. A Java service keeps compiling for minutes under a new load, so
     * a window's CPU holds a transient that a long-running service does not pay: this tells how much.
     */
    static long[] ofJitAndGc(long pid) {
        long jit = 0;
        long gc = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : tasks) {
                String line;
                try {
                    line = Files.readString(task.resolve("stat"));
                } catch (IOException | RuntimeException e) {
                    continue; // a thread that ended meanwhile
                }
                String name = line.substring(line.indexOf('(') + 1, line.lastIndexOf(')'));
                boolean isJit = name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")
                        || name.startsWith("Sweeper thread");
                boolean isGc = name.startsWith("GC Thread") || name.startsWith("G1 ");
                if (isJit || isGc) {
                    String[] f = line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
                    long nanos = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * TICK_NANOS;
                    if (isJit) {
                        jit += nanos;
                    } else {
                        gc += nanos;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return new long[]{-1, -1};
        }
        return new long[]{jit, gc};
    }

    /** {busy, all} CPU time of every core together; busy leaves out idle, iowait and time stolen by the host. */
    static long[] machine() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            // user nice system idle iowait irq softirq steal; guest time is already inside user
            long[] v = new long[8];
            for (int i = 0; i < v.length && i + 1 < f.length; i++) {
                v[i] = Long.parseLong(f[i + 1]);
            }
            long busy = v[0] + v[1] + v[2] + v[5] + v[6];
            return new long[]{busy * TICK_NANOS, (busy + v[3] + v[4] + v[7]) * TICK_NANOS};
        } catch (Exception e) {
            return new long[]{0, 0};
        }
    }

    private static final int PPID = 0;
    private static final int UTIME = 1;
    private static final int STIME = 2;
    private static final int CUTIME = 3;
    private static final int CSTIME = 4;

    /** {ppid, utime, stime, cutime, cstime} in ticks, or null. */
    private static long[] stat(long pid) {
        String line;
        try {
            line = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
        // the command name in parentheses may hold spaces and parentheses itself: fields start after the last ')'
        String[] f = line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
        if (f.length < 15) {
            return null;
        }
        return new long[]{Long.parseLong(f[1]), Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]),
                Long.parseLong(f[14])};
    }
}
