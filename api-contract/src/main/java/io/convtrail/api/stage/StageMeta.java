package io.convtrail.api.stage;

import com.fasterxml.jackson.databind.JsonNode;
import io.convtrail.api.Stage;

import java.time.Instant;
import java.util.UUID;

/**
 * The {@code _meta} block every stage payload starts with, in this order on the wire. {@code turnId}
 * is null for a record outside a turn (feedback); {@code intent} and {@code state} are the
 * conversation's when the stage was recorded. Written only by {@link StagePayloads}.
 */
public record StageMeta(Stage stage, UUID conversationId, UUID turnId, Instant emittedAt, String intent,
                        String state) {

    /** The wire name of the block. */
    public static final String FIELD = "_meta";

    /** Reads the block of a stored payload; fields it lacks (or cannot be read) are null. */
    public static StageMeta read(JsonNode payload) {
        JsonNode meta = payload == null ? null : payload.get(FIELD);
        if (meta == null || !meta.isObject()) {
            return new StageMeta(null, null, null, null, null, null);
        }
        return new StageMeta(stage(JsonFields.text(meta, "stage")), uuid(JsonFields.text(meta, "conversationId")),
                uuid(JsonFields.text(meta, "turnId")), instant(JsonFields.text(meta, "emittedAt")),
                JsonFields.text(meta, "intent"), JsonFields.text(meta, "state"));
    }

    private static Stage stage(String name) {
        try {
            return name == null ? null : Stage.valueOf(name);
        } catch (IllegalArgumentException unknown) {
            return null;
        }
    }

    private static UUID uuid(String text) {
        try {
            return text == null ? null : UUID.fromString(text);
        } catch (IllegalArgumentException notAUuid) {
            return null;
        }
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (java.time.format.DateTimeParseException notAnInstant) {
            return null;
        }
    }
}
