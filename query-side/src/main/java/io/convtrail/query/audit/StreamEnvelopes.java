package io.convtrail.query.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.convtrail.api.stream.StreamEnvelope;
import io.convtrail.api.stream.StreamKind;
import org.springframework.stereotype.Component;

import java.time.Instant;

/**
 * Builds the v2.0.8 stream envelope from a stored row, the one place that knows its shape, so a
 * live event and a replayed one are byte-for-byte the same.
 */
@Component
public class StreamEnvelopes {

    /** The fields the seed shows in the top-level {@code verbose} mirror. */
    private static final String[] MIRROR_FIELDS = {"verboseId", "eventType", "stepName", "determinant", "level", "text"};

    private final ObjectMapper json;

    public StreamEnvelopes(ObjectMapper json) {
        this.json = json;
    }

    public StreamEnvelope audit(long auditId, String stage, String payloadJson, Instant createdAt) {
        return new StreamEnvelope(StreamKind.AUDIT, auditId, stage, createdAt.toString(), parse(payloadJson), null);
    }

    /** A turn boundary: {@code auditId} is the turn event's global index, {@code stage} TURN_START or TURN_END. */
    public StreamEnvelope turn(long auditId, String stage, String boundaryJson, Instant createdAt) {
        return new StreamEnvelope(StreamKind.TURN, auditId, stage, createdAt.toString(), parse(boundaryJson), null);
    }

    public StreamEnvelope verbose(String verboseJson, Instant createdAt) {
        JsonNode verbose = parse(verboseJson);
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
