package io.convtrail.api.rest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * ConvEngine's message request. Fields stay loosely typed here so the edge can answer a precise
 * 400 for each malformed field instead of a generic parse error.
 */
public record ConversationRequest(JsonNode conversationId, JsonNode message, JsonNode reset, JsonNode inputParams) {
}
