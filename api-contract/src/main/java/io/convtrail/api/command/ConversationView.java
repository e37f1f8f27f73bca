package io.convtrail.api.command;

import java.util.Map;

/** The conversation as a newly started turn finds it: the engine's starting point. */
public record ConversationView(int turnIndex, ConversationState conversation) {

    public ConversationView(int turnIndex, String intent, String state, Map<String, Object> slots,
                            Map<String, Object> context) {
        this(turnIndex, new ConversationState(intent, state, slots, context));
    }

    public String intent() {
        return conversation.intent();
    }

    public String state() {
        return conversation.state();
    }

    public Map<String, Object> slots() {
        return conversation.slots();
    }

    public Map<String, Object> context() {
        return conversation.context();
    }
}
