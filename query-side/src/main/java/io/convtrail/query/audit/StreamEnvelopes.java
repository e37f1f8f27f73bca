package io.convtrail.query.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.convtrail.api.privacy.ContentOpener;
import io.convtrail.api.privacy.ConversationKeys;
import io.convtrail.api.stream.StreamEnvelope;
import io.convtrail.api.stream.StreamKind;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.UUID;

/**
 * Builds the v2.0.8 stream envelope from a stored row, the one place that knows its shape, so a
 * live event and a replayed one are byte-for-byte the same. It is also where stored content is opened
 * for streams (live and history alike): sealed values with the conversation's key, or {@code "[erased]"}.
 */
@Component
public class StreamEnvelopes {

    /** The fields the seed shows in the top-level {@code verbose} mirror. */
    private static final String[] MIRROR_FIELDS = {"verboseId", "eventType", "stepName", "determinant", "level", "text"};

    private final ObjectMapper json;
    private final ConversationKeys keys;

    public StreamEnvelopes(ObjectMapper json, ConversationKeys keys) {
        this.json = json;
        this.keys = keys;
    }

    /**
     * Opens a conversation's stored content for one request: one key lookup, straight from the key table, so
     * an erasure committed on any node is honoured by every request that starts after it.
     */
    public ContentOpener opener(UUID conversationId) {
        return ContentOpener.of(conversationId, keys.current(conversationId));
    }

    /**
     * Opens a record just committed, for its live push: from this node's short-lived key cache, since a
     * statement per pushed event would cost the turn path. The record was written before any erasure
     * (an erased conversation takes no writes), so it goes to its watchers as it would have a moment before.
     */
    public ContentOpener liveOpener(UUID conversationId) {
        return ContentOpener.of(conversationId, keys.forReading(conversationId));
    }

    /**
     * A turn boundary: {@code auditId} is the turn event's global index, {@code stage} TURN_START or TURN_END;
     * its user text is opened like a stage's.
     */
    public StreamEnvelope turn(ContentOpener opener, long auditId, String stage, String boundaryJson,
                               Instant createdAt) {
        JsonNode boundary = parse(boundaryJson);
        if (boundary instanceof ObjectNode object && object.path("userText").isTextual()) {
            object.put("userText", opener.text(object.get("userText").asText()));
        }
        return new StreamEnvelope(StreamKind.TURN, auditId, stage, createdAt.toString(), boundary, null);
    }

    public StreamEnvelope audit(ContentOpener opener, long auditId, String stage, String payloadJson, Instant createdAt) {
        return new StreamEnvelope(StreamKind.AUDIT, auditId, stage, createdAt.toString(),
                parse(opener.stagePayload(payloadJson)), null);
    }

    public StreamEnvelope verbose(ContentOpener opener, String verboseJson, Instant createdAt) {
        JsonNode verbose = parse(opener.verbose(verboseJson));
        ObjectNode payload = json.createObjectNode();
        payload.set("verbose", verbose);
        ObjectNode mirror = json.createObjectNode();
        for (String field : MIRROR_FIELDS) {
            mirror.set(field, verbose.path(field).isMissingNode() ? json.nullNode() : verbose.get(field));
        }
        return new StreamEnvelope(StreamKind.VERBOSE, null, StreamEnvelope.VERBOSE_STAGE, createdAt.toString(),
                payload, mirror);
    }

    public String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serializable as JSON", e);
        }
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored payload is not JSON", e);
        }
    }
}
