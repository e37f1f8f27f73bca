package io.convtrail.api.rest;

/**
 * ConvEngine's error body, sent JSON-encoded as {@code payload.value} of a {@code success:false}
 * answer; {@code errorCode} is null for a failure the engine does not know.
 */
public record ErrorPayload(String errorCode, String message, boolean recoverable) {
}
