package io.convtrail.bench;

import io.convtrail.testsupport.api.ConvtrailApi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Scenario 10: what encrypting personal content costs. Turns/s at 16 clients with encryption on (every
 * personal value sealed with AES-GCM in the aggregate; the conversation key made with the first turn)
 * and with the service restarted with it off, in {@link AlternatingRounds}, then a rebuild of
 * the read models (POST /actuator/projections) timed once in each mode, each right after that mode's last
 * round, on a service as warm as the other's (a rebuild on a freshly restarted service pays its JIT's
 * warm-up and was 30 % slower for that alone). The store holds both modes' turns; with the bench's master
 * key set in both modes, both rebuilds open the same sealed user texts for the conversation index, so
 * the two figures differ by what encryption costs a rebuild beyond that, and by noise.
 */
final class EncryptionOverheadScenario {

    private final BenchOptions options;
    private final BenchDatabase db;
    private final AlternatingRounds rounds;
    private final TurnDriver driver;

    EncryptionOverheadScenario(BenchOptions options, BenchDatabase db, AlternatingRounds rounds, TurnDriver driver) {
        this.options = options;
        this.db = db;
        this.rounds = rounds;
        this.driver = driver;
    }

    List<Figure> run(ConvtrailApi client, Map<String, Object> details) throws Exception {
        double[] rebuildOn = new double[1];
        double[] rebuildOff = new double[1];
        long[] rebuiltEvents = new long[2];
        AlternatingRounds.Result turns = rounds.run("10", "encryption", driver, ServiceProcess.Settings.DEFAULT,
                ServiceProcess.Settings.DEFAULT.withoutEncryption(),
                () -> {
                    rebuiltEvents[0] = db.head();
                    rebuildOn[0] = rebuild(client, "encryption on");
                },
                () -> {
                    rebuiltEvents[1] = db.head();
                    rebuildOff[0] = rebuild(client, "encryption off");
                });
        double rebuildRatio = rebuildOff[0] == 0 ? 0 : rebuildOn[0] / rebuildOff[0];
        Map<String, Object> level = turns.details();
        level.put("rebuildEventsPerSecondOn", rebuildOn[0]);
        level.put("rebuildEventsPerSecondOff", rebuildOff[0]);
        details.put("s10", level);
        Progress.say(String.format("s10 rebuild %.0f events/s with encryption on, %.0f off (%.0f %%)", rebuildOn[0],
                rebuildOff[0], rebuildRatio * 100));
        List<Figure> figures = new ArrayList<>(turns.figures(AlternatingRounds.CLIENTS + " clients"));
        figures.add(Figure.rate("10", "rebuild, " + rebuiltEvents[0] + " events, encryption on", "events/s",
                rebuildOn[0], "same store, " + rebuiltEvents[1] + " events, encryption off", rebuildOff[0],
                "≥ 90 % of off", rebuildRatio >= 0.9, "one rebuild each (POST " + RebuildScenario.ENDPOINT
                        + "), after each mode's last round"));
        return figures;
    }

    /** Events/s of one rebuild of every projection, from the reset until every token is back at the head. */
    private double rebuild(ConvtrailApi client, String label) throws Exception {
        long head = db.head();
        if (!ProjectionTokens.awaitCaughtUp(db, head, options.rebuildMaxSeconds(), "s10 projections catching up")) {
            throw new IllegalStateException("projections did not catch up with " + head + " events");
        }
        RebuildScenario.ReplayWatch watch = new RebuildScenario.ReplayWatch(db, head);
        watch.start();
        long start = System.nanoTime();
        var response = client.post(RebuildScenario.ENDPOINT, null);
        if (response.statusCode() >= 300) {
            watch.interrupt();
            throw new IllegalStateException("rebuild answered " + response.statusCode() + ": " + response.body());
        }
        Phases.timed("10 rebuild, " + label, () -> {
            watch.join(options.rebuildMaxSeconds() * 1_000L);
            return null;
        });
        watch.interrupt();
        long end = watch.caughtUpAt != 0 ? watch.caughtUpAt : System.nanoTime();
        double rate = head / ((end - start) / 1e9);
        Progress.say(String.format("s10 rebuild, %s: %d events, %.0f events/s", label, head, rate));
        return rate;
    }
}
