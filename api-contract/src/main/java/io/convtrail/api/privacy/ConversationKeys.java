package io.convtrail.api.privacy;

import javax.crypto.SecretKey;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The per-conversation keys (table {@code conversation_key}, each key wrapped by the master key). The
 * aggregate asks for a key when it writes, in its command's transaction, so a key and the first
 * events sealed with it commit together; readers ask when they open what they read.
 */
public interface ConversationKeys {

    /** The key to seal with, created on first use; empty when encryption is off. */
    Optional<SecretKey> forWriting(UUID conversationId);

    /**
     * The key to open with, or that the conversation was erased, or that it never had one; from this node's
     * short-lived cache, so an erasure on another node may take up to {@code convtrail.encryption.key-cache-ttl}
     * to show here. For the live push of a record just committed (written before any erasure), where a
     * statement per pushed event would cost the turn path.
     */
    ContentKey forReading(UUID conversationId);

    /**
     * The keys of these conversations as the table holds them now: one statement, never a cache, so an
     * erasure committed on any node is honoured by every later call. For a request (one call per request)
     * and a projection batch (one call per batch for all its conversations). A conversation without a row
     * answers {@link ContentKey#NONE}.
     */
    Map<UUID, ContentKey> current(Collection<UUID> conversationIds);

    /** {@link #current(Collection)} of one conversation. */
    default ContentKey current(UUID conversationId) {
        return current(Set.of(conversationId)).getOrDefault(conversationId, ContentKey.NONE);
    }

    /**
     * Destroys the conversation's key and leaves a tombstone (in the caller's transaction; every cached
     * copy on this node is dropped). Answers whether a key existed, i.e. whether content was shredded.
     */
    boolean destroy(UUID conversationId);
}
