package io.convtrail.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one bench run does. Every size has a full default (the figures) and a {@code --quick}
 * default (a smoke run of seconds); any option given on the command line wins over both.
 */
public record BenchOptions(
        Set<Integer> scenarios,
        List<Integer> clients,
        int jitWarmupSeconds,
        int warmupSeconds,
        int turnSeconds,
        int turnsPerConversation,
        List<String> messages,
        boolean readAfterTurn,
        List<Integer> sseSubscribers,
        List<Integer> stompSubscribers,
        int subscribersPerConversation,
        int streamSeconds,
        int streamTurnsPerSecond,
        int memoryStreams,
        int rebuildEvents,
        int rebuildMaxSeconds,
        int queryEvents,
        int queryRepeats,
        int fuzzRequests,
        long fuzzSeed,
        String databaseUrl,
        String databaseUser,
        String databasePassword,
        Path dataDir,
        boolean durableDatabase,
        Path appJar,
        List<String> appJvmArgs,
        List<String> appArgs,
        Path resultsDir,
        String targetUrl,
        List<Long> targetPids) {

    /** A whole loan application in the demo flow: intent, three slots (the tool runs on the third), confirmation. */
    static final String DEMO_APPLICATION = "I want to apply for a loan|10000|36|ann@example.com|yes";

    static final String USAGE = """
            java -jar bench/target/convtrail-bench.jar [options]
              --quick                    smoke sizes (seconds); later options override them
              --scenarios=1,2,3,4,5,6,7,9  which scenarios (2 runs inside 1, 6 inside 3 when both are chosen;
                                         1 also prints, per step, CPU ms per turn of the service and of PostgreSQL
                                         (from /proc) and whether the read side keeps up: commit→read-model lag
                                         during the step, time until every projection is at the head after it;
                                         7: turns/s at 16 clients with security on and off;
                                         9: export every stored event (after 4: the rebuild's store), heap sampled;
                                         only when named: 8 hostile input (see --fuzz-requests);
                                         10: turns/s and rebuild events/s with encryption on and off;
                                         11: turns/s at 16 clients, each turn followed by GET /audit/{id}, with
                                         read-your-writes on and off (convtrail.read.consistency-timeout=0);
                                         12: two nodes against one on one database)
              --clients=1,16,64          scenario 1 concurrency levels
              --jit-warmup-seconds=300   before any step, 16 clients run turns on the fresh service until its JIT
                                         compiler's share of the service's CPU falls under 10 % in a 10 s slice, at
                                         most this long (0: no such warm-up; --quick: 0); each step then runs
                                         --warmup-seconds of its own and prints the compiler's and GC's share
              --warmup-seconds=30 --turn-seconds=20 --turns-per-conversation=5
              --messages=a|b|c           turn messages, in order on each conversation (default: a loan application)
              --read-after-turn=false    scenario 1: each turn is followed by GET /audit/{id} of its conversation
                                         (read-your-writes); a turn counts when both answered 200
              --sse=1,1000,10000         scenario 3 SSE subscriber counts
              --stomp=1000,10000         scenario 3 STOMP subscriber counts, like --sse (0: skip)
              --subscribers-per-conversation=10
              --stream-seconds=15 --stream-turns-per-second=10
              --memory-streams=10000     scenario 6 open SSE streams
              --rebuild-events=500000    scenario 4 stored events to replay
              --rebuild-max-seconds=420  stop timing a rebuild after this (its rate so far is reported)
              --query-events=10000 --query-repeats=50
              --fuzz-requests=100000     scenario 8 (hostile input; only when named in --scenarios)
              --fuzz-seed=N              its seed (default: the clock; printed, so a run can be repeated)
              --db-url=jdbc:postgresql://host/db --db-user=u --db-password=p   external PostgreSQL (default: embedded)
              --data-dir=DIR             keep the embedded database here (reused: seeded events survive)
              --db-durable=false         embedded database without fsync/synchronous_commit (the service's default is on)
              --app-jar=app/target/convtrail.jar
              --app-jvm-args="-Xmx1g ..."  --app-args="--some.property=value ..."
              --results=bench/results
              --target-url=http://127.0.0.1:8080 --target-pids=1234[,5678] --db-url=…
                                         drive a service already running there instead of starting convtrail
                                         (another engine speaking ConvEngine's API, say): scenario 1 only (turns/s,
                                         latency, CPU per turn of those pids and of the live backends of --db-url's
                                         database); no event-store figures and no /actuator/info baseline
            """;

    static BenchOptions parse(String[] args) {
        Map<String, String> given = new LinkedHashMap<>();
        boolean quick = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                System.out.println(USAGE);
                System.exit(0);
            }
            if (arg.equals("--quick")) {
                quick = true;
                continue;
            }
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + arg + "\n" + USAGE);
            }
            int eq = arg.indexOf('=');
            if (eq > 0) {
                given.put(arg.substring(2, eq), arg.substring(eq + 1));
            } else if (i + 1 < args.length) {
                given.put(arg.substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException("option " + arg + " needs a value\n" + USAGE);
            }
        }
        Values v = new Values(given, quick);
        String targetUrl = v.string("target-url", null, null);
        String allScenarios = targetUrl == null ? "1,2,3,4,5,6,7,9" : "1";
        BenchOptions options = new BenchOptions(
                new TreeSet<>(v.ints("scenarios", allScenarios, allScenarios)),
                v.ints("clients", "1,16,64", "1,4"),
                v.integer("jit-warmup-seconds", 300, 0),
                v.integer("warmup-seconds", 30, 1),
                v.integer("turn-seconds", 20, 2),
                v.integer("turns-per-conversation", 5, 5),
                List.of(v.string("messages", DEMO_APPLICATION, null).split("\\|")),
                Boolean.parseBoolean(v.string("read-after-turn", "false", null)),
                v.ints("sse", "1,1000,10000", "1,50"),
                v.ints("stomp", "1000,10000", "20"),
                v.integer("subscribers-per-conversation", 10, 10),
                v.integer("stream-seconds", 15, 3),
                v.integer("stream-turns-per-second", 10, 5),
                v.integer("memory-streams", 10_000, 50),
                v.integer("rebuild-events", 500_000, 5_000),
                v.integer("rebuild-max-seconds", 420, 60),
                v.integer("query-events", 10_000, 300),
                v.integer("query-repeats", 50, 10),
                v.integer("fuzz-requests", 100_000, 5_000),
                Long.parseLong(v.string("fuzz-seed", String.valueOf(System.currentTimeMillis()), null)),
                v.string("db-url", null, null),
                v.string("db-user", "postgres", null),
                v.string("db-password", "postgres", null),
                v.path("data-dir", null),
                Boolean.parseBoolean(v.string("db-durable", "true", null)),
                v.path("app-jar", "app/target/convtrail.jar"),
                v.words("app-jvm-args"),
                v.words("app-args"),
                v.path("results", "bench/results"),
                targetUrl,
                v.longs("target-pids"));
        if (!v.unused().isEmpty()) {
            throw new IllegalArgumentException("unknown option(s) " + v.unused() + "\n" + USAGE);
        }
        options.checkTarget();
        if (options.jitWarmupSeconds() < 0) {
            throw new IllegalArgumentException("--jit-warmup-seconds must be 0 (none) or more, not "
                    + options.jitWarmupSeconds());
        }
        return options;
    }

    /** Whether the bench drives a service it did not start ({@code --target-url}) instead of convtrail. */
    boolean drivesTarget() {
        return targetUrl != null;
    }

    /**
     * A running service is measured only where the bench can charge its CPU and knows nothing of its store: its pids,
     * its database (for PostgreSQL's share), scenario 1 alone.
     */
    private void checkTarget() {
        if (targetUrl == null) {
            if (!targetPids.isEmpty()) {
                throw new IllegalArgumentException("--target-pids needs --target-url\n" + USAGE);
            }
            return;
        }
        if (!targetUrl.startsWith("http://") && !targetUrl.startsWith("https://")) {
            throw new IllegalArgumentException("--target-url must be an http(s) URL, not " + targetUrl);
        }
        if (targetPids.isEmpty()) {
            throw new IllegalArgumentException("--target-url needs --target-pids: the processes whose CPU a turn costs");
        }
        if (databaseUrl == null) {
            throw new IllegalArgumentException("--target-url needs --db-url: the database the service runs on");
        }
        if (!scenarios.equals(Set.of(1))) {
            throw new IllegalArgumentException("--target-url runs scenario 1 only, not " + scenarios
                    + ": the others read convtrail's own tables or restart the service");
        }
    }

    boolean runs(int scenario) {
        return scenarios.contains(scenario);
    }

    /** Reads options, remembering which were used so that a misspelt one is an error, not ignored. */
    private static final class Values {
        private final Map<String, String> given;
        private final boolean quick;
        private final Set<String> used = new TreeSet<>();

        Values(Map<String, String> given, boolean quick) {
            this.given = given;
            this.quick = quick;
        }

        String string(String name, String full, String quickDefault) {
            used.add(name);
            if (given.containsKey(name)) {
                return given.get(name);
            }
            return quick && quickDefault != null ? quickDefault : full;
        }

        int integer(String name, int full, int quickDefault) {
            return Integer.parseInt(string(name, String.valueOf(full), String.valueOf(quickDefault)).replace("_", ""));
        }

        List<Integer> ints(String name, String full, String quickDefault) {
            List<Integer> values = new ArrayList<>();
            for (String part : string(name, full, quickDefault).split(",")) {
                if (!part.isBlank()) {
                    values.add(Integer.parseInt(part.trim().replace("_", "")));
                }
            }
            return values;
        }

        List<Long> longs(String name) {
            List<Long> values = new ArrayList<>();
            for (String part : string(name, "", null).split(",")) {
                if (!part.isBlank()) {
                    values.add(Long.parseLong(part.trim()));
                }
            }
            return List.copyOf(values);
        }

        Path path(String name, String full) {
            String value = string(name, full, null);
            return value == null ? null : Path.of(value);
        }

        List<String> words(String name) {
            String value = string(name, "", null).trim();
            return value.isEmpty() ? List.of() : Arrays.asList(value.split("\\s+"));
        }

        Set<String> unused() {
            Set<String> unused = new TreeSet<>(given.keySet());
            unused.removeAll(used);
            return unused;
        }
    }
}
