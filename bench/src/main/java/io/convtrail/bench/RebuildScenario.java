package io.convtrail.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.testsupport.api.ConvtrailApi;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 4: with at least N events stored, reset the projections and time the replay until
 * every processor's token is back at the head. The reset goes through the service's projection
 * endpoint ({@code POST /actuator/projections}) when it has one; otherwise the service is stopped,
 * its tokens deleted and read models emptied, and started again (the replay then runs at start-up
 * and is timed from the first token written). A rebuild still running after
 * {@code --rebuild-max-seconds} is reported with the rate it reached. Baseline: {@link RawReplayBound}.
 */
final class RebuildScenario {

    static final String ENDPOINT = "/actuator/projections";

    /** Something done while the service is stopped. */
    interface WhileStopped {
        void run() throws Exception;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BenchOptions options;
    private final BenchDatabase db;
    private final TurnDriver driver;
    private ServiceProcess service;

    RebuildScenario(BenchOptions options, BenchDatabase db, TurnDriver driver, ServiceProcess service) {
        this.options = options;
        this.db = db;
        this.driver = driver;
        this.service = service;
    }

    List<Figure> run(ConvtrailApi client, Map<String, Object> details) throws Exception {
        double raw = seed(client);
        long head = db.head();
        ReplayWatch watch = new ReplayWatch(db, head);
        String how;
        CpuAccount account = CpuAccount.start(service, db);
        long start = System.nanoTime();
        watch.start();
        if (client.getBytes(ENDPOINT).statusCode() == 200) {
            how = "POST " + ENDPOINT;
            var response = client.post(ENDPOINT, null);
            if (response.statusCode() >= 300) {
                watch.interrupt();
                throw new IllegalStateException(how + " answered " + response.statusCode() + ": " + response.body());
            }
        } else {
            how = "restart with tokens deleted and read models emptied";
            restart(this::emptyReadModels);
            start = -1;
        }
        Phases.timed("4 rebuild", () -> {
            watch.join(options.rebuildMaxSeconds() * 1_000L);
            return null;
        });
        watch.interrupt();
        watch.join();
        CpuAccount.Usage cpu = account.stop();
        long from = start > 0 ? start : watch.firstBehindAt;
        boolean finished = watch.caughtUpAt != 0;
        long end = finished ? watch.caughtUpAt : System.nanoTime();
        double seconds = (end - from) / 1e9;
        long replayed = finished ? head : Math.max(0, lowest(ProjectionTokens.read(db)));
        double rate = replayed / seconds;
        String processors = String.join(", ", ProjectionTokens.read(db).keySet());
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("events", head);
        d.put("replayed", replayed);
        d.put("finished", finished);
        d.put("seconds", seconds);
        d.put("reset", how);
        d.put("processors", processors);
        // CPU per replayed event, from the POST until the watch saw every processor at the head (with a restart the
        // service's pid changed: its share is not measured)
        d.put("cpuWindowSeconds", cpu.seconds());
        d.put("serviceMicrosPerEvent", CpuAccount.Usage.per(cpu.serviceMs() * 1000, replayed));
        d.put("postgresMicrosPerEvent", CpuAccount.Usage.per(cpu.postgresMs() * 1000, replayed));
        d.put("machineMicrosPerEvent", CpuAccount.Usage.per(cpu.machineMs() * 1000, replayed));
        details.put("s4", d);
        Progress.say(String.format("s4 rebuild: %d of %d events in %.1f s = %.0f events/s (%s); CPU per event: "
                        + "service %.1f µs, PostgreSQL %.1f µs, machine %.1f µs", replayed, head, seconds, rate, how,
                cpu.serviceMs() * 1000 / replayed, cpu.postgresMs() * 1000 / replayed, cpu.machineMs() * 1000 / replayed));
        String note = finished
                ? String.format("%.1f s until every processor (%s) was at the head; %s", seconds, processors, how)
                : String.format("stopped after %.0f s with the slowest processor at %d of %d (%s); %s", seconds,
                replayed, head, processors, how);
        return List.of(Figure.rate("4", "rebuild, " + head + " events", "events/s", rate,
                "plain JDBC read + JSON parse of all events", raw, "≥ 50,000", finished && rate >= 50_000, note));
    }

    ServiceProcess service() {
        return service;
    }

    /**
     * Records conversations to copy (real turns), then, with the service stopped so that it does not
     * project them live, appends copies up to the wanted count and measures the baseline on the
     * idle database, then has the projections project the copies (an untimed rebuild, where the
     * service has the endpoint), so that the timed rebuild replays only events they have seen. Answers
     * the baseline's events/s.
     */
    private double seed(ConvtrailApi client) throws Exception {
        long target = options.rebuildEvents();
        long enough = Math.min(target, 20_000);
        for (int round = 0; round < 20 && db.head() < enough; round++) {
            driver.fresh(8, Math.min(5, options.turnSeconds()), options.turnsPerConversation(),
                    "s4 recording conversations to copy");
        }
        double[] raw = new double[1];
        boolean copied = db.head() < target;
        if (copied) {
            long source = db.head();
            restart(() -> {
                new EventCloner(db).fillTo(target, source);
                raw[0] = baseline();
            });
        }
        // the copies are new to the projections, which would take them, in the timed rebuild too, as new events (traced,
        // pushed live, committed durably); an untimed rebuild projects them faster than the live processors would
        long head = db.head();
        boolean rebuilding = copied && client.getBytes(ENDPOINT).statusCode() == 200;
        if (rebuilding) {
            var response = client.post(ENDPOINT, null);
            if (response.statusCode() >= 300) {
                throw new IllegalStateException("POST " + ENDPOINT + " answered " + response.statusCode());
            }
        }
        if (!ProjectionTokens.awaitCaughtUp(db, head, options.rebuildMaxSeconds(), "s4 projections catching up")) {
            throw new IllegalStateException("projections did not catch up with " + head + " events");
        }
        if (rebuilding) {
            awaitProcessorsRunning(client);
        }
        if (raw[0] == 0) {
            raw[0] = baseline();
        }
        return raw[0];
    }

    /** Waits until the service has handed the projections back to their processors (a rebuild has ended). */
    private static void awaitProcessorsRunning(ConvtrailApi client) throws Exception {
        for (int attempt = 0; attempt < 300; attempt++) {
            JsonNode status = JSON.readTree(client.getBytes(ENDPOINT).body());
            boolean running = true;
            for (JsonNode projection : status.path("projections")) {
                running &= projection.path("running").asBoolean();
            }
            if (running) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the projections' processors did not start again after the rebuild");
    }

    private void restart(WhileStopped step) throws Exception {
        service.close();
        step.run();
        service = service.restart(options, db);
    }

    private double baseline() throws Exception {
        double raw = RawReplayBound.eventsPerSecond(db);
        Progress.say(String.format("s4 baseline: %.0f events/s read and parsed", raw));
        return raw;
    }

    private static long lowest(Map<String, ProjectionTokens.Position> positions) {
        return positions.values().stream().mapToLong(ProjectionTokens.Position::lowest).min().orElse(0);
    }

    private void emptyReadModels() throws Exception {
        db.execute("DELETE FROM tokenentry");
        for (String table : List.of("audit_event")) {
            if (db.tableExists(table)) {
                db.execute("TRUNCATE " + table);
            }
        }
    }

    /** Polls the tokens: when a processor first fell behind the head, and when all were back. */
    static final class ReplayWatch extends Thread {
        private final BenchDatabase db;
        private final long head;
        volatile long firstBehindAt;
        volatile long caughtUpAt;

        ReplayWatch(BenchDatabase db, long head) {
            super("bench-replay-watch");
            setDaemon(true);
            this.db = db;
            this.head = head;
        }

        @Override
        public void run() {
            try (var ignored = Progress.every2s("s4 rebuilding", () -> ProjectionTokens.describe(db, head))) {
                while (!isInterrupted()) {
                    var positions = ProjectionTokens.read(db);
                    long now = System.nanoTime();
                    boolean caughtUp = ProjectionTokens.caughtUp(positions, head);
                    if (firstBehindAt == 0 && !positions.isEmpty() && !caughtUp) {
                        firstBehindAt = now;
                    } else if (firstBehindAt != 0 && caughtUp) {
                        caughtUpAt = now;
                        return;
                    }
                    Thread.sleep(50);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                Progress.say("replay watch stopped: " + e);
            }
        }
    }
}
