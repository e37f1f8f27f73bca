package io.convtrail.bench;

import io.convtrail.testsupport.api.ConvtrailApi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Scenario 12 (only when named): two nodes against one, on the same database in the same run. First the
 * one node alone: turns/s at 16 clients, with the CPU the service and PostgreSQL spent per turn (from
 * {@code /proc}) and the commits per turn ({@code pg_stat_database}), then stream latency with SSE
 * subscribers on the node that runs the turns. Then a second service process starts on the database;
 * once the two share the projections' segments: turns/s at 16 clients, 8 on each node, and stream latency
 * with the subscribers on the node that did not run the turns (they are woken by PostgreSQL NOTIFY and read
 * the read model). On one small machine both nodes and PostgreSQL share the same cores, so the second node
 * adds no CPU: what this shows is the cost of the coordination, not the gain of scaling (docs/scaling.md).
 */
final class TwoNodesScenario {

    private static final int CLIENTS = 16;
    private static final int STREAMED_CONVERSATIONS = 50;
    private static final int BALANCE_SECONDS = 60;

    private final BenchOptions options;
    private final BenchDatabase db;
    private final ServiceProcess first;

    TwoNodesScenario(BenchOptions options, BenchDatabase db, ServiceProcess first) {
        this.options = options;
        this.db = db;
        this.first = first;
    }

    List<Figure> run(ConvtrailApi firstClient, Map<String, Object> details) throws Exception {
        TurnDriver onFirst = new TurnDriver(firstClient, options.messages(), options.readAfterTurn());
        onFirst.fresh(CLIENTS, options.warmupSeconds(), options.turnsPerConversation(), "s12 warm-up, one node");
        Costs oneCosts = Costs.start(db, List.of(first.pid()));
        TurnDriver.Run one = Phases.timed("12 turns, one node", () -> onFirst.fresh(CLIENTS, options.turnSeconds(),
                options.turnsPerConversation(), "s12 one node"));
        oneCosts.stop(one.turns());
        Progress.say(String.format("s12 one node: %.0f turns/s; per turn %s", one.medianTurnsPerSecond(),
                oneCosts.describe()));
        StreamLatency sameNode = stream(firstClient, onFirst, first, "s12 stream, subscribers on the turns' node");

        Path log = first.log().resolveSibling(first.log().getFileName().toString().replace("-service.log", "-s12-second.log"));
        ServiceProcess second = ServiceProcess.start(options, db, log);
        Phases.service(first.pid()); // the phases' service CPU stays that of the first node
        try (ConvtrailApi secondClient = new ConvtrailApi(second.baseUrl(), BenchTokens::authorization)) {
            Progress.say("s12 second node up at " + second.baseUrl() + " (pid " + second.pid() + "); sharing segments: "
                    + awaitShared(secondClient));
            TurnDriver onSecond = new TurnDriver(secondClient, options.messages(), options.readAfterTurn());
            both(onFirst, onSecond, options.warmupSeconds(), "s12 warm-up, two nodes");
            Costs twoCosts = Costs.start(db, List.of(first.pid(), second.pid()));
            double[] two = Phases.timed("12 turns, two nodes", () -> both(onFirst, onSecond, options.turnSeconds(),
                    "s12 two nodes"));
            twoCosts.stop((long) java.util.Arrays.stream(two).sum());
            StreamLatency otherNode = stream(firstClient, onFirst, second, "s12 stream, subscribers on the other node");

            double oneRate = one.medianTurnsPerSecond();
            double twoRate = Percentiles.median(two);
            Map<String, Object> level = new LinkedHashMap<>();
            level.put("oneNodeTurnsPerSecond", oneRate);
            level.put("twoNodesTurnsPerSecond", twoRate);
            level.put("oneNodeCosts", oneCosts.describe());
            level.put("twoNodesCosts", twoCosts.describe());
            level.put("streamSameNodeP99Ms", sameNode.best().p99Millis());
            level.put("streamOtherNodeP99Ms", otherNode.best().p99Millis());
            level.put("streamOtherNodeReceived", otherNode.received() + " of " + otherNode.expected());
            details.put("s12", level);
            Progress.say(String.format("s12 %d clients: %.0f turns/s on one node, %.0f on two; per turn (one node) %s;"
                    + " (two nodes) %s; stream p99 %.1f ms same node, %.1f ms other node", CLIENTS, oneRate, twoRate,
                    oneCosts.describe(), twoCosts.describe(), sameNode.best().p99Millis(), otherNode.best().p99Millis()));
            return List.of(
                    Figure.rate("12", "turns/s, 16 clients over two nodes", "turns/s", twoRate,
                            "one node, 16 clients", oneRate, null, null,
                            "same 2-core machine: no CPU added; per turn " + twoCosts.describe()),
                    Figure.latency("12", "SSE " + otherNode.definition() + ", subscribers on the other node",
                            otherNode.best(), "subscribers on the turns' node, one node", sameNode.best(), null, null,
                            otherNode.received() + " of " + otherNode.expected() + " events received"));
        } finally {
            second.close();
        }
    }

    /** 8 clients on each node at once; answers the turns completed in each second, both nodes together. */
    private static double[] both(TurnDriver onFirst, TurnDriver onSecond, int seconds, String label) {
        CompletableFuture<TurnDriver.Run> a = CompletableFuture.supplyAsync(() -> fresh(onFirst, seconds, label + " (A)"));
        CompletableFuture<TurnDriver.Run> b = CompletableFuture.supplyAsync(() -> fresh(onSecond, seconds, label + " (B)"));
        double[] perSecond = a.join().turnsPerSecond().clone();
        double[] other = b.join().turnsPerSecond();
        for (int i = 0; i < perSecond.length; i++) {
            perSecond[i] += other[i];
        }
        return perSecond;
    }

    private static TurnDriver.Run fresh(TurnDriver driver, int seconds, String label) {
        try {
            return driver.fresh(CLIENTS / 2, seconds, 5, label);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * SSE subscribers on {@code subscribed}, one per conversation, while paced turns run on the first node. Each
     * conversation gets its first turn before (a stream of a conversation that does not exist answers 404).
     */
    private StreamLatency stream(ConvtrailApi client, TurnDriver turns, ServiceProcess subscribed, String label)
            throws Exception {
        List<UUID> conversations = new ArrayList<>();
        for (int i = 0; i < STREAMED_CONVERSATIONS; i++) {
            conversations.add(UUID.randomUUID());
        }
        conversations.parallelStream().forEach(id -> {
            int status = client.turn(id, options.messages().get(0));
            if (status != 200) {
                throw new IllegalStateException("a first turn answered HTTP " + status);
            }
        });
        ProjectionTokens.awaitCaughtUp(db, db.head(), 120, label + ": first turns projected");
        long before = db.head();
        List<Receipts> receipts;
        try (SseSubscribers subscribers = new SseSubscribers(subscribed.baseUrl())) {
            subscribers.open(conversations, STREAMED_CONVERSATIONS, label + ": opening");
            Phases.timed(label, () -> turns.over(conversations, CLIENTS, options.streamSeconds(),
                    options.streamTurnsPerSecond(), label));
            ProjectionTokens.awaitCaughtUp(db, db.head(), 120, label + ": projections catching up");
            Thread.sleep(1_000);
            receipts = subscribers.receipts();
        }
        return StreamLatency.of(receipts, CommitTimes.after(db, conversations, before));
    }

    /** Waits until the second node's projections report two owners of the audit segments; answers the owners. */
    private static String awaitShared(ConvtrailApi client) throws Exception {
        long deadline = System.nanoTime() + BALANCE_SECONDS * 1_000_000_000L;
        String owners = "";
        while (System.nanoTime() < deadline) {
            var response = client.getBytes("/actuator/projections");
            String body = new String(response.body());
            int at = body.indexOf("\"owners\"");
            owners = at < 0 ? "" : body.substring(at, body.indexOf('}', at) + 1);
            if (owners.chars().filter(c -> c == '[').count() >= 2) {
                return owners;
            }
            Thread.sleep(1_000);
        }
        return "not shared within " + BALANCE_SECONDS + " s: " + owners;
    }

    /**
     * CPU of the service processes and of PostgreSQL (its postmaster, the children it reaped and the live
     * ones; found from a backend's parent, so only for a PostgreSQL on this machine) and commits, around a run.
     */
    private static final class Costs {
        private final BenchDatabase db;
        private final List<Long> services;
        private final long postmaster;
        private long serviceNanos;
        private long postgresTicks;
        private long commits;
        private Map<String, Object> perTurn = Map.of();

        private Costs(BenchDatabase db, List<Long> services, long postmaster) {
            this.db = db;
            this.services = services;
            this.postmaster = postmaster;
        }

        static Costs start(BenchDatabase db, List<Long> services) throws Exception {
            long postmaster;
            try (Connection c = db.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                postmaster = parentOf(rs.getLong(1));
            }
            Costs costs = new Costs(db, services, postmaster);
            costs.serviceNanos = -costs.serviceCpu();
            costs.postgresTicks = -costs.postgresCpu();
            costs.commits = -costs.commits();
            return costs;
        }

        void stop(long turns) throws Exception {
            Thread.sleep(1_000); // PostgreSQL publishes a backend's counters at most once a second
            serviceNanos += serviceCpu();
            postgresTicks += postgresCpu();
            commits += commits();
            Map<String, Object> costs = new LinkedHashMap<>();
            costs.put("turns", turns);
            costs.put("serviceCpuMsPerTurn", turns == 0 ? 0 : serviceNanos / 1e6 / turns);
            costs.put("postgresCpuMsPerTurn", turns == 0 || postmaster < 0 ? -1 : postgresTicks * 10.0 / turns);
            costs.put("commitsPerTurn", turns == 0 ? 0 : (double) commits / turns);
            perTurn = costs;
        }

        String describe() {
            return String.format("service %.1f ms CPU, PostgreSQL %.1f ms CPU, %.1f commits",
                    (double) perTurn.getOrDefault("serviceCpuMsPerTurn", 0.0),
                    (double) perTurn.getOrDefault("postgresCpuMsPerTurn", -1.0),
                    (double) perTurn.getOrDefault("commitsPerTurn", 0.0));
        }

        private long serviceCpu() {
            return services.stream().mapToLong(pid -> ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration())
                    .map(d -> d.toNanos()).orElse(0L)).sum();
        }

        /** Clock ticks (1/100 s): the postmaster's own and its reaped children's, plus every live backend's. */
        private long postgresCpu() {
            if (postmaster < 0) {
                return 0;
            }
            long[] own = stat(postmaster);
            long ticks = own[0] + own[1] + own[2] + own[3];
            for (ProcessHandle child : ProcessHandle.of(postmaster).map(p -> p.children().toList()).orElse(List.of())) {
                long[] times = stat(child.pid());
                ticks += times[0] + times[1];
            }
            return ticks;
        }

        private long commits() throws Exception {
            return db.queryLong("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()");
        }

        /** utime, stime, cutime, cstime of a process (zeros when it is gone). */
        private static long[] stat(long pid) {
            try {
                String line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
                // fields from the state (3rd in proc(5)) on: utime is the 14th, so index 11 here
                return new long[]{Long.parseLong(fields[11]), Long.parseLong(fields[12]), Long.parseLong(fields[13]),
                        Long.parseLong(fields[14])};
            } catch (IOException | RuntimeException gone) {
                return new long[4];
            }
        }

        private static long parentOf(long pid) {
            try {
                String line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                return Long.parseLong(line.substring(line.lastIndexOf(')') + 2).split(" ")[1]);
            } catch (IOException | RuntimeException notHere) {
                return -1;
            }
        }
    }
}
