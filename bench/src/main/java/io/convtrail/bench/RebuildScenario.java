package io.convtrail.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 4: with at least N events stored, reset the projections and time the replay until
 * every processor's token is back at the head. The reset goes through the service's projection
 * endpoint ({@code POST /actuator/projections}) when it has one; otherwise the service is stopped,
 * its tokens deleted and read models emptied, and started again (the replay then runs at start-up
 * and is timed from the first token written). Baseline: {@link RawReplayBound}.
 */
final class RebuildScenario {

    static final String ENDPOINT = "/actuator/projections";

    /** Restarts the service, running something while it is down. */
    interface Restarter {
        ServiceProcess restart(SqlStep whileStopped) throws Exception;
    }

    interface SqlStep {
        void run() throws Exception;
    }

    private final BenchOptions options;
    private final BenchDatabase db;
    private final TurnDriver driver;
    private final Restarter restarter;
    private ServiceProcess service;

    RebuildScenario(BenchOptions options, BenchDatabase db, TurnDriver driver, ServiceProcess service,
                    Restarter restarter) {
        this.options = options;
        this.db = db;
        this.driver = driver;
        this.service = service;
        this.restarter = restarter;
    }

    List<Figure> run(ConvtrailClient client, Map<String, Object> details) throws Exception {
        seed();
        long head = db.head();
        int timeout = (int) Math.max(300, head / 1_000);
        if (!ProjectionTokens.awaitCaughtUp(db, head, timeout, "s4 projections catching up with the seed")) {
            throw new IllegalStateException("projections did not catch up with " + head + " events");
        }
        double raw = RawReplayBound.eventsPerSecond(db);
        Progress.say(String.format("s4 baseline: %.0f events/s read and parsed", raw));
        ReplayWatch watch = new ReplayWatch(db, head);
        String how;
        long start = System.nanoTime();
        watch.start();
        if (client.get(ENDPOINT).statusCode() == 200) {
            how = "POST " + ENDPOINT;
            var response = client.post(ENDPOINT, null);
            if (response.statusCode() >= 300) {
                watch.interrupt();
                throw new IllegalStateException(how + " answered " + response.statusCode() + ": " + response.body());
            }
        } else {
            how = "restart with tokens deleted and read models emptied";
            service = restarter.restart(this::emptyReadModels);
            start = -1;
        }
        watch.join(timeout * 1_000L);
        watch.interrupt();
        if (watch.caughtUpAt == 0) {
            throw new IllegalStateException("the rebuild did not catch up within " + timeout + " s: "
                    + ProjectionTokens.describe(db, head));
        }
        long from = start > 0 ? start : watch.firstBehindAt;
        double seconds = (watch.caughtUpAt - from) / 1e9;
        double rate = head / seconds;
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("events", head);
        d.put("seconds", seconds);
        d.put("reset", how);
        d.put("processors", ProjectionTokens.read(db).keySet());
        details.put("s4", d);
        Progress.say(String.format("s4 rebuild: %d events in %.1f s = %.0f events/s (%s)", head, seconds, rate, how));
        return List.of(Figure.rate("4", "rebuild, " + head + " events", "events/s", rate,
                "plain JDBC read + JSON parse of all events", raw, "≥ 50,000", rate >= 50_000,
                String.format("%.1f s, all processors (%s); %s", seconds, String.join(", ",
                        ProjectionTokens.read(db).keySet()), how)));
    }

    ServiceProcess service() {
        return service;
    }

    private void seed() throws Exception {
        long target = options.rebuildEvents();
        long enough = Math.min(target, 20_000);
        for (int round = 0; round < 20 && db.head() < enough; round++) {
            driver.fresh(8, Math.min(5, options.turnSeconds()), options.turnsPerConversation(),
                    "s4 recording conversations to copy");
        }
        if (db.head() < target) {
            new EventCloner(db).fillTo(target, db.head());
        }
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
    private static final class ReplayWatch extends Thread {
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
