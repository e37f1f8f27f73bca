package io.convtrail.bench;

import io.convtrail.testsupport.api.ConvtrailApi;

import java.util.List;
import java.util.Map;

/**
 * Scenario 11: what read-your-writes costs. Every turn is followed by {@code GET /audit/{id}} of its conversation
 * (a turn counts when both answered 200, timed together), at 16 clients, with the service waiting for the audit
 * projection to hold the conversation's newest event before it answers, and restarted with
 * {@code convtrail.read.consistency-timeout=0} (answers from whatever the read model holds), in
 * {@link AlternatingRounds}. Waiting costs only while the projection lags the turn, so this also shows how far
 * behind the read side runs under the load.
 */
final class ReadYourWritesScenario {

    static final String OFF = "--convtrail.read.consistency-timeout=0";

    private final AlternatingRounds rounds;
    private final TurnDriver driver;

    ReadYourWritesScenario(AlternatingRounds rounds, ConvtrailApi client, BenchOptions options) {
        this.rounds = rounds;
        this.driver = new TurnDriver(client, options.messages(), true);
    }

    List<Figure> run(Map<String, Object> details) throws Exception {
        AlternatingRounds.Result result = rounds.run("11", "read-your-writes", driver, ServiceProcess.Settings.DEFAULT,
                ServiceProcess.Settings.DEFAULT.with(OFF));
        Map<String, Object> level = result.details();
        level.put("offArgument", OFF);
        details.put("s11", level);
        return result.figures(AlternatingRounds.CLIENTS + " clients, each turn then GET /audit/{id}");
    }
}
