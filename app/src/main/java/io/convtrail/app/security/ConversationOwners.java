package io.convtrail.app.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.query.store.EventPositions;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whose a conversation is, read from the event store itself: the {@code owner} of its first
 * {@code TurnStartedEvent} (aggregate sequence 0, found through the primary store's unique index).
 * Reading the store rather than a projection means no lag (a user can stream a conversation the moment
 * its first turn is committed) and nothing to lose in a rebuild. An owner never changes, so found
 * owners are kept in memory (bounded: the cache is dropped when full).
 */
@Component
class ConversationOwners {

    /** The conversation exists; {@code subject} is null when it was created with security off. */
    record Owner(String subject) {
    }

    private static final int MAX_CACHED = 100_000;

    private final EventPositions events;
    private final ObjectMapper json;
    private final Map<UUID, Owner> known = new ConcurrentHashMap<>();

    ConversationOwners(EventPositions events, ObjectMapper json) {
        this.events = events;
        this.json = json;
    }

    /** Empty while the conversation has no committed turn. */
    Optional<Owner> of(UUID conversationId) {
        Owner cached = known.get(conversationId);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<Owner> found = events.firstPayload(conversationId).map(payload -> new Owner(ownerIn(payload)));
        found.ifPresent(owner -> {
            if (known.size() >= MAX_CACHED) {
                known.clear();
            }
            known.put(conversationId, owner);
        });
        return found;
    }

    private String ownerIn(byte[] payload) {
        try {
            JsonNode owner = json.readTree(payload).get("owner");
            return owner == null || owner.isNull() ? null : owner.asText();
        } catch (IOException e) {
            throw new UncheckedIOException("the first event of a conversation is not JSON", e);
        }
    }
}
