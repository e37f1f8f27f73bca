package io.convtrail.command.turn;

import io.convtrail.api.command.ConversationView;

import java.util.Map;
import java.util.UUID;

/** What a turn starts from: the user's input and the conversation as the turn found it. */
public record TurnInput(
        UUID conversationId,
        UUID turnId,
        String message,
        boolean reset,
        Map<String, Object> inputParams,
        ConversationView conversation) {
}
