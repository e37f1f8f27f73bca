package io.convtrail.bench;

import io.convtrail.testsupport.api.ConvtrailApi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Scenario 10: what encrypting personal content costs. Turns/s at 16 clients with encryption on (every
 * personal value sealed with AES-GCM in the aggregate; the conversation key made with the first turn)
 * and with the service restarted with it off, in {@link AlternatingRounds}, then a rebuild of
 * the read models (POST /actuator/projections) timed once in each mode on the same store: off after the
 * last round, on once the service is back in its default settings. A rebuild
 * does not decrypt (read models hold what is stored), so its two figures differ only by noise; they
 * are printed so that this stays checked.
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
        double[] rebuildOff = new double[1];
        AlternatingRounds.Result turns = rounds.run("10", "encryption", driver, ServiceProcess.Settings.DEFAULT,
                ServiceProcess.Settings.DEFAULT.withoutEncryption(),
                () -> rebuildOff[0] = rebuild(client, "encryption off"));
        double rebuildOn = rebuild(client, "encryption on");
        double rebuildRatio = rebuildOff[0] == 0 ? 0 : rebuildOn / rebuildOff[0];
        Map<String, Object> level = turns.details();
        level.put("rebuildEventsPerSecondOn", rebuildOn);
        level.put("rebuildEventsPerSecondOff", rebuildOff[0]);
        details.put("s10", level);
        Progress.say(String.format("s10 rebuild %.0f events/s with encryption on, %.0f off (%.0f %%)", rebuildOn,
                rebuildOff[0], rebuildRatio * 100));
        List<Figure> figures = new ArrayList<>(turns.figures(AlternatingRounds.CLIENTS + " clients"));
        figures.add(Figure.rate("10", "rebuild, " + db.head() + " events, encryption on", "events/s", rebuildOn,
                "same store, encryption off", rebuildOff[0], "≥ 90 % of off", rebuildRatio >= 0.9,
                "one rebuild each (POST " + RebuildScenario.ENDPOINT + ")"));
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
