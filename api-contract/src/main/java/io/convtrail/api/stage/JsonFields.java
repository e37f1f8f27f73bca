package io.convtrail.api.stage;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Lenient reads of stored payload fields: a payload recorded by an older engine, or by a ConvEngine
 * client, may leave a field out or give a number as text, and a reader must still make sense of it.
 */
final class JsonFields {

    private JsonFields() {
    }

    static String text(JsonNode object, String field) {
        JsonNode value = object.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** A whole number, also when given as text; anything else is treated as absent, as ConvEngine does. */
    static Long number(JsonNode object, String field) {
        JsonNode value = object.get(field);
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
