package io.convtrail.api.command;

import java.util.Map;

/** The conversation as a newly started turn finds it: the engine's starting point. */
public record ConversationView(
        int turnIndex,
        String intent,
        String state,
        Map<String, Object> slots,
        Map<String, Object> context) {
}
