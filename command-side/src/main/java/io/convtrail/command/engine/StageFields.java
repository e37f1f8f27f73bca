package io.convtrail.command.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A stage's own fields in the order they are written, so payloads read the same way every time
 * ({@code Map.of} has no order and refuses null values, which a stage may legitimately carry).
 */
public final class StageFields {

    private StageFields() {
    }

    /** {@code of("ruleId", id, "actions", 2)}: alternating names and values. */
    public static Map<String, Object> of(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must come in pairs");
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return fields;
    }
}
