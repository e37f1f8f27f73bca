package io.convtrail.query.web;

import io.convtrail.api.query.FindConversationsQuery.Position;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * The conversation list's cursor: where the previous page ended (the last conversation's start and id),
 * opaque to clients so the order can change without breaking their code. Not signed: a forged cursor can
 * only start a list somewhere else, under the same authorization.
 */
final class ConversationCursor {

    private static final String PREFIX = "c1:";

    private ConversationCursor() {
    }

    static String encode(Position position) {
        String text = PREFIX + position.startedAt().getEpochSecond() + "." + position.startedAt().getNano() + ":"
                + position.conversationId();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static Position decode(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (!text.startsWith(PREFIX)) {
                throw QueryParameters.invalid("cursor", "is not a cursor this service issued");
            }
            String[] parts = text.substring(PREFIX.length()).split(":", 2);
            String[] time = parts[0].split("\\.", 2);
            Instant startedAt = Instant.ofEpochSecond(Long.parseLong(time[0]), Long.parseLong(time[1]));
            return new Position(startedAt, UUID.fromString(parts[1]));
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException | DateTimeException e) {
            throw QueryParameters.invalid("cursor", "is not a cursor this service issued");
        }
    }
}
