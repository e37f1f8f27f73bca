package io.convtrail.command.aggregate;

import io.convtrail.api.privacy.ContentCipher;
import io.convtrail.api.privacy.ContentKey;
import io.convtrail.api.privacy.ConversationKeys;

import javax.crypto.SecretKey;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Conversation keys held in memory (real AES keys), for the aggregate's fixture; the service keeps them in PostgreSQL. */
final class InMemoryConversationKeys implements ConversationKeys {

    private final boolean encrypting;
    private final Map<UUID, SecretKey> keys = new HashMap<>();
    private final Set<UUID> erased = new HashSet<>();

    private InMemoryConversationKeys(boolean encrypting) {
        this.encrypting = encrypting;
    }

    static InMemoryConversationKeys unencrypted() {
        return new InMemoryConversationKeys(false);
    }

    static InMemoryConversationKeys encrypting() {
        return new InMemoryConversationKeys(true);
    }

    @Override
    public Optional<SecretKey> forWriting(UUID conversationId) {
        if (!encrypting) {
            return Optional.empty();
        }
        if (erased.contains(conversationId)) {
            throw new IllegalStateException("erased");
        }
        return Optional.of(keys.computeIfAbsent(conversationId, id -> ContentCipher.newKey()));
    }

    @Override
    public ContentKey forReading(UUID conversationId) {
        if (erased.contains(conversationId)) {
            return ContentKey.ERASED;
        }
        SecretKey key = keys.get(conversationId);
        return key == null ? ContentKey.NONE : new ContentKey.Present(key);
    }

    @Override
    public Map<UUID, ContentKey> current(Collection<UUID> conversationIds) {
        Map<UUID, ContentKey> current = new HashMap<>();
        conversationIds.forEach(id -> current.put(id, forReading(id)));
        return current;
    }

    @Override
    public boolean destroy(UUID conversationId) {
        erased.add(conversationId);
        return keys.remove(conversationId) != null;
    }
}
