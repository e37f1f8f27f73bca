package io.convtrail.api.privacy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.convtrail.api.command.TurnRecord;
import io.convtrail.api.event.VerboseMessage;

import javax.crypto.SecretKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Seals the personal content ({@link PersonalContent}) of what one conversation records, value by
 * value, before the record is hashed and stored: each value's JSON text becomes one sealed string, so
 * a payload stays JSON and its structure stays readable. Without a key (encryption off) it changes
 * nothing.
 */
public final class ContentSeal {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Each personal field's name as it appears quoted in a payload: built once, not per record and field. */
    private static final List<String> QUOTED_STAGE_FIELDS = PersonalContent.STAGE_FIELDS.stream()
            .map(field -> "\"" + field + "\"").toList();

    private final UUID conversationId;
    private final SecretKey key;

    private ContentSeal(UUID conversationId, SecretKey key) {
        this.conversationId = conversationId;
        this.key = key;
    }

    public static ContentSeal of(UUID conversationId, Optional<SecretKey> key) {
        return new ContentSeal(conversationId, key.orElse(null));
    }

    public TurnRecord record(TurnRecord record) {
        if (key == null) {
            return record;
        }
        if (record instanceof TurnRecord.StageRecord s) {
            return new TurnRecord.StageRecord(s.stage(), stagePayload(s.payloadJson()), s.createdAt());
        }
        TurnRecord.VerboseRecord v = (TurnRecord.VerboseRecord) record;
        return new TurnRecord.VerboseRecord(verbose(v.verbose()), v.createdAt());
    }

    /** A stage payload with every top-level personal field's value sealed; unchanged when it has none. */
    public String stagePayload(String payloadJson) {
        if (key == null || payloadJson == null || !mayHoldPersonalFields(payloadJson)) {
            return payloadJson;
        }
        JsonNode payload = read(payloadJson);
        if (!(payload instanceof ObjectNode object)) {
            return payloadJson;
        }
        boolean changed = false;
        for (String field : PersonalContent.STAGE_FIELDS) {
            JsonNode value = object.get(field);
            if (value != null && !value.isNull()) {
                object.set(field, TextNode.valueOf(ContentCipher.seal(key, conversationId, value.toString())));
                changed = true;
            }
        }
        return changed ? object.toString() : payloadJson;
    }

    public VerboseMessage verbose(VerboseMessage v) {
        if (key == null) {
            return v;
        }
        return new VerboseMessage(v.verboseId(), v.eventType(), v.stepName(), v.determinant(), v.intent(), v.state(),
                v.ruleId(), v.toolCode(), v.level(), text(v.text()), values(v.metadata()));
    }

    public String text(String text) {
        return text == null || key == null ? text : ContentCipher.seal(key, conversationId, write(text));
    }

    /** A map (slots, context, input parameters) with its keys kept and every value sealed. */
    public Map<String, Object> values(Map<String, Object> values) {
        if (values == null || key == null) {
            return values;
        }
        Map<String, Object> sealed = new LinkedHashMap<>();
        values.forEach((name, value) -> sealed.put(name,
                value == null ? null : ContentCipher.seal(key, conversationId, write(value))));
        return sealed;
    }

    /** The reverse of {@link #values} for the conversation's own writer, which holds the key. */
    public Map<String, Object> openValues(Map<String, Object> values) {
        if (values == null || key == null) {
            return values;
        }
        Map<String, Object> open = new LinkedHashMap<>();
        values.forEach((name, value) -> open.put(name, value instanceof String s && ContentCipher.isSealed(s)
                ? readValue(ContentCipher.open(key, conversationId, s)) : value));
        return open;
    }

    /** Most stages (step brackets, timings, intents) name no personal field: they are not parsed at all. */
    private static boolean mayHoldPersonalFields(String json) {
        for (String quoted : QUOTED_STAGE_FIELDS) {
            if (json.contains(quoted)) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("record payload is not JSON", e);
        }
    }

    private static Object readValue(String json) {
        try {
            return JSON.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a sealed value is not JSON", e);
        }
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a personal value is not serializable as JSON", e);
        }
    }
}
