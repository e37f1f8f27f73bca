package io.convtrail.api;

import java.util.Optional;
import java.util.UUID;

/**
 * What counts as a conversation id on every endpoint: a UUID in its canonical 36-character form.
 * {@link UUID#fromString} alone also accepts forms such as {@code 1-1-1-1-1}, which would name the
 * same conversation by several spellings.
 */
public final class ConversationIds {

    private ConversationIds() {
    }

    public static Optional<UUID> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            UUID id = UUID.fromString(text);
            return id.toString().equalsIgnoreCase(text) ? Optional.of(id) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
