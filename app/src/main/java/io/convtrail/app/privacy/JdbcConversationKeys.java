package io.convtrail.app.privacy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.convtrail.api.privacy.ContentCipher;
import io.convtrail.api.privacy.ContentKey;
import io.convtrail.api.privacy.ConversationKeys;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The owner of {@code conversation_key}: creates a conversation's key on its first write (in the writing
 * command's transaction, so key and events commit together), opens keys for live pushes through a small
 * cache and for requests and projection batches straight from the table, and destroys a key on erasure. Keys are wrapped with AES-KW (RFC 3394, the JDK's
 * {@code AES/KW/NoPadding}) under the master key; no key is ever stored or logged unwrapped.
 */
class JdbcConversationKeys implements ConversationKeys {

    private static final String WRAP = "AES/KW/NoPadding";
    /** A projection batch or a request unwraps its conversations' keys afresh: without a provider lookup each. */
    private static final ThreadLocal<Cipher> UNWRAPPERS = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance(WRAP);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES key wrap is required by every JVM", e);
        }
    });

    private final JdbcClient jdbc;
    private final SecretKey master;
    private final boolean sealing;
    private final Cache<UUID, ContentKey> cache;

    /** {@code master} null: no master key (nothing sealed opens); {@code sealing} false: new content stays in the clear. */
    JdbcConversationKeys(JdbcClient jdbc, SecretKey master, boolean sealing, EncryptionProperties properties) {
        this.jdbc = jdbc;
        this.master = master;
        this.sealing = sealing && master != null;
        this.cache = Caffeine.newBuilder().maximumSize(properties.keyCacheSize())
                .expireAfterWrite(properties.keyCacheTtl()).build();
    }

    /** Refuses to start with a master key other than the one the stored keys are wrapped with. */
    void checkMasterKey() {
        if (master == null) {
            return;
        }
        String fingerprint = fingerprint(master);
        jdbc.sql("INSERT INTO conversation_key_master (id, fingerprint) VALUES (1, :f) ON CONFLICT DO NOTHING")
                .param("f", fingerprint).update();
        String stored = jdbc.sql("SELECT fingerprint FROM conversation_key_master WHERE id = 1")
                .query(String.class).single();
        if (!stored.equals(fingerprint)) {
            throw new IllegalStateException("The encryption master key differs from the one this database's "
                    + "conversation keys are wrapped with: start with the original CONVTRAIL_ENCRYPTION_MASTER_KEY "
                    + "(or the original generated key file)");
        }
    }

    @Override
    public Optional<SecretKey> forWriting(UUID conversationId) {
        if (!sealing) {
            return Optional.empty();
        }
        if (cache.getIfPresent(conversationId) instanceof ContentKey.Present present) {
            return Optional.of(present.key());
        }
        ContentKey stored = createOrLoad(conversationId);
        if (stored instanceof ContentKey.None) {
            stored = load(conversationId); // a concurrent first write committed its key while we waited on it
        }
        if (!(stored instanceof ContentKey.Present present)) {
            throw new IllegalStateException("conversation " + conversationId + " was erased; nothing may be written");
        }
        afterCommit(() -> cache.put(conversationId, present)); // a key rolled back with its events is never used
        return Optional.of(present.key());
    }

    @Override
    public ContentKey forReading(UUID conversationId) {
        ContentKey cached = cache.getIfPresent(conversationId);
        if (cached != null) {
            return cached;
        }
        ContentKey stored = load(conversationId);
        if (!(stored instanceof ContentKey.None)) {
            cache.put(conversationId, stored);
        }
        return stored;
    }

    @Override
    public Map<UUID, ContentKey> current(Collection<UUID> conversationIds) {
        Map<UUID, ContentKey> current = new HashMap<>();
        if (conversationIds.isEmpty()) {
            return current;
        }
        jdbc.sql("SELECT conversation_id, wrapped_key FROM conversation_key WHERE conversation_id = ANY(:ids)")
                .param("ids", new SqlArrayValue("uuid", conversationIds.toArray()))
                .query(rs -> {
                    current.put(rs.getObject(1, UUID.class), opened(rs.getBytes(2)));
                });
        conversationIds.forEach(id -> current.putIfAbsent(id, ContentKey.NONE));
        return current;
    }

    @Override
    public boolean destroy(UUID conversationId) {
        cache.invalidate(conversationId);
        boolean shredded = jdbc.sql("UPDATE conversation_key SET wrapped_key = NULL, erased_at = now() "
                        + "WHERE conversation_id = :id AND wrapped_key IS NOT NULL")
                .param("id", conversationId).update() == 1;
        if (!shredded) {
            jdbc.sql("INSERT INTO conversation_key (conversation_id, wrapped_key, erased_at) VALUES (:id, NULL, now()) "
                    + "ON CONFLICT DO NOTHING").param("id", conversationId).update();
        }
        // a reader may have cached the key again before this transaction committed
        afterCommit(() -> cache.invalidate(conversationId));
        return shredded;
    }

    /**
     * One round trip for a first write and for a key this node does not hold: inserts a fresh key unless the
     * conversation has one (or a tombstone), and answers the stored one. The statement's SELECT sees the
     * table as it was before the INSERT, so it answers exactly the row that won. NONE only when a concurrent
     * first write committed between this statement's start and its insert.
     */
    private ContentKey createOrLoad(UUID conversationId) {
        SecretKey fresh = ContentCipher.newKey();
        List<ContentKey> rows = jdbc.sql("""
                        WITH created AS (
                            INSERT INTO conversation_key (conversation_id, wrapped_key) VALUES (:id, :key)
                            ON CONFLICT DO NOTHING RETURNING conversation_id)
                        SELECT true AS created, NULL::bytea AS wrapped_key FROM created
                        UNION ALL
                        SELECT false, wrapped_key FROM conversation_key WHERE conversation_id = :id""")
                .param("id", conversationId).param("key", wrap(fresh))
                .query((rs, i) -> {
                    if (rs.getBoolean(1)) {
                        return new ContentKey.Present(fresh);
                    }
                    byte[] wrapped = rs.getBytes(2);
                    return wrapped == null ? ContentKey.ERASED : new ContentKey.Present(unwrap(wrapped));
                }).list();
        return rows.isEmpty() ? ContentKey.NONE : rows.get(0);
    }

    private ContentKey load(UUID conversationId) {
        List<byte[]> rows = jdbc.sql("SELECT wrapped_key FROM conversation_key WHERE conversation_id = :id")
                .param("id", conversationId)
                .query((rs, i) -> {
                    byte[] wrapped = rs.getBytes(1);
                    return wrapped == null ? new byte[0] : wrapped;
                }).list();
        if (rows.isEmpty()) {
            return ContentKey.NONE;
        }
        byte[] wrapped = rows.get(0);
        return opened(wrapped.length == 0 ? null : wrapped);
    }

    /** A stored row's key: null is a tombstone. */
    private ContentKey opened(byte[] wrapped) {
        if (wrapped == null) {
            return ContentKey.ERASED;
        }
        if (master == null) {
            return ContentKey.NONE; // sealed without a master key to open it: readers see "[unreadable]"
        }
        return new ContentKey.Present(unwrap(wrapped));
    }

    private byte[] wrap(SecretKey key) {
        try {
            Cipher cipher = Cipher.getInstance(WRAP);
            cipher.init(Cipher.WRAP_MODE, master);
            return cipher.wrap(key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES key wrap failed", e);
        }
    }

    private SecretKey unwrap(byte[] wrapped) {
        try {
            Cipher cipher = UNWRAPPERS.get();
            cipher.init(Cipher.UNWRAP_MODE, master);
            return (SecretKey) cipher.unwrap(wrapped, "AES", Cipher.SECRET_KEY);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a conversation key does not unwrap with the master key", e);
        }
    }

    static String fingerprint(SecretKey master) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(master);
            return HexFormat.of().formatHex(mac.doFinal("convtrail master key check".getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every JVM", e);
        }
    }

    private static void afterCommit(Runnable action) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            action.run();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                action.run();
            }
        });
    }
}
