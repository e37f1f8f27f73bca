package io.convtrail.api.privacy;

import javax.crypto.SecretKey;
import java.util.Optional;
import java.util.UUID;

/**
 * The per-conversation keys (table {@code conversation_key}, each key wrapped by the master key). The
 * aggregate asks for a key when it writes, in its command's transaction, so a key and the first
 * events sealed with it commit together; readers ask when they open what they read.
 */
public interface ConversationKeys {

    /** The key to seal with, created on first use; empty when encryption is off. */
    Optional<SecretKey> forWriting(UUID conversationId);

    /** The key to open with, or that the conversation was erased, or that it never had one. */
    ContentKey forReading(UUID conversationId);

    /**
     * Destroys the conversation's key and leaves a tombstone (in the caller's transaction; every cached
     * copy on this node is dropped). Answers whether a key existed, i.e. whether content was shredded.
     */
    boolean destroy(UUID conversationId);
}
