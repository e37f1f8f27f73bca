package io.convtrail.api.stage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one writer of stage payloads: the {@link StageMeta} block first, then the stage's own fields
 * (a {@link StepBracket}, a {@link UserFeedback}, or a map of named fields). The turn journal, the
 * step runner (through it) and the aggregate (feedback, abandoned turns) all write here, so what a
 * payload looks like, and any later treatment of its content (encrypting personal fields), is
 * decided in one place.
 */
public final class StagePayloads {

    private final ObjectMapper json;

    /** {@code json} writes the fields' values (the application's mapper: slot values may be dates). */
    public StagePayloads(ObjectMapper json) {
        this.json = json;
    }

    /** The payload JSON: {@code _meta}, then each field of {@code fields} (a map, or a record) in its order. */
    public String write(StageMeta meta, Object fields) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put(StageMeta.FIELD, metaFields(meta));
        if (fields instanceof Map<?, ?> map) {
            map.forEach((name, value) -> payload.put((String) name, value));
        } else if (fields != null) {
            JsonNode own = json.valueToTree(fields);
            if (!own.isObject()) {
                throw new IllegalArgumentException("stage fields must be an object, not " + own.getNodeType());
            }
            own.fields().forEachRemaining(field -> payload.put(field.getKey(), field.getValue()));
        }
        try {
            return json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("stage payload is not serializable as JSON", e);
        }
    }

    private static Map<String, Object> metaFields(StageMeta meta) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("stage", meta.stage().name());
        fields.put("conversationId", meta.conversationId().toString());
        fields.put("turnId", meta.turnId() == null ? null : meta.turnId().toString());
        fields.put("emittedAt", meta.emittedAt().toString());
        fields.put("intent", meta.intent());
        fields.put("state", meta.state());
        return fields;
    }
}
