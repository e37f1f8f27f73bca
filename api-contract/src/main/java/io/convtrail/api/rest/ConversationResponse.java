package io.convtrail.api.rest;

import java.util.UUID;

/** ConvEngine's message response; {@code context} is the conversation context as JSON text. */
public record ConversationResponse(
        boolean success,
        UUID conversationId,
        String intent,
        String state,
        ResponsePayload payload,
        String context) {

    /** {@code type} is TEXT, JSON (value is then JSON text) or ERROR. */
    public record ResponsePayload(String type, String value) {
    }
}
