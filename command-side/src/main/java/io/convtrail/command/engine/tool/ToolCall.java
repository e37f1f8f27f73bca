package io.convtrail.command.engine.tool;

import java.util.Map;
import java.util.UUID;

/** What a tool gets to work with: the conversation's identity, intent, state and slots. */
public record ToolCall(UUID conversationId, String intent, String state, Map<String, Object> slots) {
}
