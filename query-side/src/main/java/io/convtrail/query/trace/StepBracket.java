package io.convtrail.query.trace;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a STEP_ENTER, STEP_EXIT or STEP_ERROR payload says about its step. Fields the engine left
 * out are null; a durationMs that is not a number is treated as absent, as ConvEngine does.
 */
record StepBracket(String step, String stepClass, String sourceFile, Long durationMs, String errorType,
                   String errorMessage) {

    static StepBracket of(JsonNode payload) {
        return new StepBracket(text(payload, "step"), text(payload, "stepClass"), text(payload, "sourceFile"),
                number(payload, "durationMs"), text(payload, "errorType"), text(payload, "errorMessage"));
    }

    private static String text(JsonNode payload, String field) {
        JsonNode value = payload.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Long number(JsonNode payload, String field) {
        JsonNode value = payload.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isIntegralNumber()) {
            return value.longValue();
        }
        try {
            return Long.parseLong(value.asText().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
