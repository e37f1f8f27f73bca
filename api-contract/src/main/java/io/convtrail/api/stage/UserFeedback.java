package io.convtrail.api.stage;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The fields of an MCP_USER_FEEDBACK payload, after {@code _meta}, in wire order. Apart from the
 * validated {@code feedbackType}, they are kept exactly as the client sent them (a JSON null when
 * absent): ConvEngine clients send ids and texts of their own shapes.
 */
public record UserFeedback(String feedbackType, JsonNode messageId, JsonNode assistantResponse, JsonNode metadata) {
}
