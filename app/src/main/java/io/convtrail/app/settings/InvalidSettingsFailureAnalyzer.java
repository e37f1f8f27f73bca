package io.convtrail.app.settings;

import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.origin.Origin;
import org.springframework.core.Ordered;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

import java.util.Locale;

/**
 * A setting that fails its constraint stops startup with one line per setting, in the spelling an
 * operator types: {@code convtrail.turn.max-message-size = "0" (from ...): must be greater than 0},
 * with the environment variable that sets it. Boot's own analysis says the same in Java's words
 * (camelCase field names under the name of the exception); this one runs first.
 */
public class InvalidSettingsFailureAnalyzer extends AbstractFailureAnalyzer<BindValidationException>
        implements Ordered {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, BindValidationException cause) {
        StringBuilder description = new StringBuilder("Invalid settings; convtrail did not start:");
        for (ObjectError error : cause.getValidationErrors().getAllErrors()) {
            description.append(System.lineSeparator()).append("    ").append(line(error));
        }
        return new FailureAnalysis(description.toString(), "Correct the settings above (application.yml, the "
                + "environment variable named, or --name=value on the command line); the defaults are documented in "
                + "docs/configuration.md and in application.yml.", cause);
    }

    static String line(ObjectError error) {
        if (!(error instanceof FieldError field) || field.getRejectedValue() instanceof Boolean) {
            // a rule across settings (an @AssertTrue method): its message names the settings
            return error.getDefaultMessage();
        }
        String property = kebab(field.getObjectName() + "." + field.getField());
        Origin origin = Origin.from(field);
        return property + " = \"" + field.getRejectedValue() + "\"" + (origin != null ? " (from " + origin + ")" : "")
                + ": " + field.getDefaultMessage() + " [environment variable "
                + environmentVariable(property) + "]";
    }

    /** Spring Boot's rule: dots and brackets become underscores, dashes go, all upper case. */
    static String environmentVariable(String property) {
        return property.replace("-", "").replaceAll("[.\\[\\]]", "_").toUpperCase(Locale.ROOT);
    }

    static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
