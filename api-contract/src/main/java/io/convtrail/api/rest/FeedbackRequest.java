package io.convtrail.api.rest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.Map;
import java.util.UUID;

/**
 * ConvEngine's feedback request. Loosely typed for the same reason as {@link ConversationRequest}
 * (one precise 400 per field); the {@code @Schema} of each field is its contract. Apart from
 * {@code feedbackType}, the values are recorded as sent. Unknown fields are ignored.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@Schema(description = "a thumbs up or down on an answer", requiredProperties = {"conversationId", "feedbackType"})
public record FeedbackRequest(
        @Schema(implementation = UUID.class) JsonNode conversationId,
        @Schema(implementation = String.class, allowableValues = {"THUMBS_UP", "THUMBS_DOWN"}) JsonNode feedbackType,
        @Schema(implementation = String.class) JsonNode messageId,
        @Schema(implementation = String.class) JsonNode assistantResponse,
        @Schema(implementation = Map.class) JsonNode metadata) {
}
