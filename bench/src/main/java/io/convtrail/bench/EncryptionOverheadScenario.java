package io.convtrail.bench;

import io.convtrail.testsupport.api.ConvtrailApi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 10: what encrypting personal content costs. Turns/s at 16 clients with encryption on (every
 * personal value sealed with AES-GCM in the aggregate; the conversation key made with the first turn)
 * and with the service restarted with it off, alternating rounds as in scenario 7, then a rebuild of
 * the read models (POST /actuator/projections) timed once in each mode on the same store. A rebuild
 * does not decrypt (read models hold what is stored), so its two figures differ only by noise; they
 * are printed so that this stays checked. The service is left with encryption on.
 */
final class EncryptionOverheadScenario {

    private static final int CLIENTS = 16;
    private static final int ROUNDS = 2;

    private final BenchOptions options;
    private final BenchDatabase db;
    private final TurnDriver driver;
    private ServiceProcess service;

    EncryptionOverheadScenario(BenchOptions options, BenchDatabase db, TurnDriver driver, ServiceProcess service) {
        this.options = options;
        this.db = db;
        this.driver = driver;
        this.service = service;
    }

    ServiceProcess service() {
        return service;
    }

    List<Figure> run(ConvtrailApi client, Map<String, Object> details) throws Exception {
        List<TurnDriver.Run> on = new ArrayList<>();
        List<TurnDriver.Run> off = new ArrayList<>();
        double rebuildOn;
        double rebuildOff;
        try {
            for (int round = 1; round <= ROUNDS; round++) {
                service = service.restartEncrypted(options, db, true);
                on.add(measure("encryption on, round " + round));
                service = service.restartEncrypted(options, db, false);
                off.add(measure("encryption off, round " + round));
            }
            rebuildOff = rebuild(client, "encryption off");
            service = service.restartEncrypted(options, db, true);
            rebuildOn = rebuild(client, "encryption on");
        } finally {
            service = service.restartEncrypted(options, db, true);
        }
        double onRate = Percentiles.median(SecurityOverheadScenario.perSecond(on));
        double offRate = Percentiles.median(SecurityOverheadScenario.perSecond(off));
        double turnRatio = offRate == 0 ? 0 : onRate / offRate;
        double rebuildRatio = rebuildOff == 0 ? 0 : rebuildOn / rebuildOff;
        Map<String, Object> level = new LinkedHashMap<>();
        level.put("onMedianPerRound", on.stream().map(TurnDriver.Run::medianTurnsPerSecond).toList());
        level.put("offMedianPerRound", off.stream().map(TurnDriver.Run::medianTurnsPerSecond).toList());
        level.put("rebuildEventsPerSecondOn", rebuildOn);
        level.put("rebuildEventsPerSecondOff", rebuildOff);
        long failures = on.stream().mapToLong(TurnDriver.Run::failures).sum()
                + off.stream().mapToLong(TurnDriver.Run::failures).sum();
        level.put("failedTurns", failures);
        details.put("s10", level);
        Progress.say(String.format("s10 %d clients: %.0f turns/s with encryption on, %.0f off (%.0f %%); rebuild "
                + "%.0f events/s on, %.0f off (%.0f %%)", CLIENTS, onRate, offRate, turnRatio * 100, rebuildOn,
                rebuildOff, rebuildRatio * 100));
        return List.of(
                Figure.rate("10", "turns/s, 16 clients, encryption on", "turns/s", onRate,
                        "same, encryption off", offRate, "≥ 90 % of off", turnRatio >= 0.9,
                        ROUNDS + " alternating rounds each" + (failures == 0 ? "" : "; " + failures + " failed turns")),
                Figure.rate("10", "rebuild, " + db.head() + " events, encryption on", "events/s", rebuildOn,
                        "same store, encryption off", rebuildOff, "≥ 90 % of off", rebuildRatio >= 0.9,
                        "one rebuild each (POST " + RebuildScenario.ENDPOINT + ")"));
    }

    private TurnDriver.Run measure(String label) throws Exception {
        driver.fresh(CLIENTS, Math.max(10, options.warmupSeconds()), options.turnsPerConversation(),
                "s10 warm-up, " + label);
        return Phases.timed("10 turns, " + label, () -> driver.fresh(CLIENTS, options.turnSeconds(),
                options.turnsPerConversation(), "s10 " + label));
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
