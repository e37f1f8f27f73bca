package io.convtrail.api.rest;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonRawValue;

/**
 * One audit stage in ConvEngine's trace. {@code payload} is the stored JSON object written as is:
 * a trace of a long conversation holds thousands of them, and parsing each one only to write it
 * back would cost more than the rest of the answer.
 */
@JsonPropertyOrder({"auditId", "stage", "createdAt", "payload"})
public record TraceStage(long auditId, String stage, String createdAt, @JsonRawValue String payload) {
}
