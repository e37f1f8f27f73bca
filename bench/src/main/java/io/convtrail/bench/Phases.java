package io.convtrail.bench;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * When each measured step ran (wall clock, UTC), written into the results so that a profile of
 * the service can be cut by step ({@code bench/jfr-hotspots.py}).
 */
final class Phases {

    private static final Map<String, List<String>> WINDOWS = new LinkedHashMap<>();

    private Phases() {
    }

    /** A step that measures something. */
    interface Step<T> {
        T run() throws Exception;
    }

    static <T> T timed(String name, Step<T> step) throws Exception {
        String start = Instant.now().toString();
        try {
            return step.run();
        } finally {
            synchronized (WINDOWS) {
                WINDOWS.put(name, List.of(start, Instant.now().toString()));
            }
        }
    }

    static Map<String, List<String>> all() {
        synchronized (WINDOWS) {
            return new LinkedHashMap<>(WINDOWS);
        }
    }
}
