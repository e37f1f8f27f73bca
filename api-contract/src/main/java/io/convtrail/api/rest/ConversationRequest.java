package io.convtrail.api.rest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.Map;
import java.util.UUID;

/**
 * ConvEngine's message request. Fields stay loosely typed here so the edge can answer a precise
 * 400 for each malformed field instead of a generic parse error; their real types are the
 * {@code @Schema} of each, which is what the OpenAPI document shows. Unknown fields are ignored.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@Schema(description = "a turn: the user's message on a conversation")
public record ConversationRequest(
        @Schema(implementation = UUID.class, description = "omit to start a new conversation")
        JsonNode conversationId,
        @Schema(implementation = String.class, description = "the user's text; required unless reset")
        JsonNode message,
        @Schema(implementation = Boolean.class, description = "start the conversation over")
        JsonNode reset,
        @Schema(implementation = Map.class, description = "extra inputs for the flow")
        JsonNode inputParams) {
}
