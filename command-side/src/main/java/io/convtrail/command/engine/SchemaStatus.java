package io.convtrail.command.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where slot collection stands after this turn's extraction: what is still missing, what the user
 * gave that was not valid, and the question to ask next.
 */
public record SchemaStatus(boolean active, boolean complete, List<String> missing, List<Problem> invalid,
                           String nextQuestion) {

    public static final SchemaStatus NONE = new SchemaStatus(false, false, List.of(), List.of(), null);

    /** A value the user gave for a slot that failed validation, and the message explaining why. */
    public record Problem(String slot, String value, String message) {
    }

    /** The names templates use: {@code schema.complete}, {@code schema.nextQuestion}, {@code schema.invalidMessage}. */
    Map<String, Object> asModel() {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("complete", complete);
        model.put("missing", missing);
        model.put("nextQuestion", nextQuestion);
        model.put("invalidMessage", invalid.isEmpty() ? null : invalid.get(0).message());
        return model;
    }
}
