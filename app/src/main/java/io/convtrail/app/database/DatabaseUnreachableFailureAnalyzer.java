package io.convtrail.app.database;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.env.Environment;

/**
 * Turns "cannot reach the configured PostgreSQL" into one clear message naming the URL, instead of
 * a wall of stack traces.
 */
public class DatabaseUnreachableFailureAnalyzer implements FailureAnalyzer {

    private final Environment environment;

    public DatabaseUnreachableFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        Throwable cause = ConnectionFailures.find(failure);
        if (cause == null) {
            return null;
        }
        String url = environment.getProperty("spring.datasource.url", "(embedded PostgreSQL)");
        return new FailureAnalysis(
                "convtrail cannot connect to PostgreSQL at " + url + ": " + describe(cause),
                "Check that PostgreSQL is running and reachable at that URL and that SPRING_DATASOURCE_USERNAME / "
                        + "SPRING_DATASOURCE_PASSWORD are right, or unset SPRING_DATASOURCE_URL to use the embedded "
                        + "PostgreSQL.",
                failure);
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
    }
}
