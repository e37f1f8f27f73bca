package io.convtrail.bench;

import java.util.List;
import java.util.Map;

/**
 * Scenario 7: what authentication costs. Turns/s at 16 clients with security on (every request carries a token
 * that is verified, every turn checks ownership) and with the service restarted with security off, in
 * {@link AlternatingRounds}.
 */
final class SecurityOverheadScenario {

    private final AlternatingRounds rounds;
    private final TurnDriver driver;

    SecurityOverheadScenario(AlternatingRounds rounds, TurnDriver driver) {
        this.rounds = rounds;
        this.driver = driver;
    }

    List<Figure> run(Map<String, Object> details) throws Exception {
        AlternatingRounds.Result result = rounds.run("7", "security", driver, ServiceProcess.Settings.DEFAULT,
                ServiceProcess.Settings.DEFAULT.withoutSecurity());
        details.put("s7", result.details());
        return result.figures(AlternatingRounds.CLIENTS + " clients");
    }
}
