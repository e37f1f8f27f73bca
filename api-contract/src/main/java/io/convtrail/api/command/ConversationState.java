package io.convtrail.api.command;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a conversation knows between turns: its intent, its state, the slots collected and the
 * context (tool results). A turn starts from one ({@link ConversationView}), the engine answers one
 * ({@code TurnResult}) and the turn closes with one ({@link CompleteTurnCommand}). The maps are
 * read-only copies that keep their order and allow null values.
 */
public record ConversationState(String intent, String state, Map<String, Object> slots,
                                Map<String, Object> context) {

    public ConversationState {
        slots = copy(slots);
        context = copy(context);
    }

    private static Map<String, Object> copy(Map<String, Object> values) {
        return values == null || values.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
}
