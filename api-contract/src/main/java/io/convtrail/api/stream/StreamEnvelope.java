package io.convtrail.api.stream;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The stream payload contract (ConvEngine v2.0.8): AUDIT envelopes carry a numeric auditId and the
 * stage payload; VERBOSE envelopes carry {@code auditId: null}, {@code stage: "VERBOSE"} and the
 * message both under {@code payload.verbose} and in the {@code verbose} mirror.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"eventType", "auditId", "stage", "createdAt", "payload", "verbose"})
public record StreamEnvelope(
        String eventType,
        Long auditId,
        String stage,
        String createdAt,
        JsonNode payload,
        JsonNode verbose) {

    public static final String AUDIT = "AUDIT";
    public static final String VERBOSE = "VERBOSE";
}
