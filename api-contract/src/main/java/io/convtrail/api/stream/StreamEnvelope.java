package io.convtrail.api.stream;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The stream payload contract (ConvEngine v2.0.8): AUDIT envelopes carry a numeric auditId and the
 * stage payload; VERBOSE envelopes carry {@code auditId: null}, {@code stage: "VERBOSE"} and the
 * message both under {@code payload.verbose} and in the {@code verbose} mirror. TURN envelopes (a
 * convtrail addition, opt-in) carry a turn boundary: {@code auditId} is the turn event's global index,
 * {@code stage} is {@code TURN_START} or {@code TURN_END}, {@code payload} the turn (see {@link TurnBoundary}).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"eventType", "auditId", "stage", "createdAt", "payload", "verbose"})
public record StreamEnvelope(
        StreamKind eventType,
        Long auditId,
        String stage,
        String createdAt,
        JsonNode payload,
        JsonNode verbose) {

    /** The {@code stage} of a VERBOSE envelope (ConvEngine's wire value). */
    public static final String VERBOSE_STAGE = "VERBOSE";
}
