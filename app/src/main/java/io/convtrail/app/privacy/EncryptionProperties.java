package io.convtrail.app.privacy;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Encryption of personal content with a key per conversation (docs/compliance.md).
 *
 * @param enabled          false stores new personal content in the clear (the log warns at every start); erasure
 *                         then hides it from readers but cannot shred it. A master key, if set, still opens what
 *                         was sealed before
 * @param masterKey        base64 (or base64url) of 32 random bytes that wraps every conversation key
 *                         ({@code CONVTRAIL_ENCRYPTION_MASTER_KEY}). Empty: on the zero-setup default (no
 *                         {@code spring.datasource.url}) one is generated into {@code generatedKeyFile}; with an
 *                         external database encryption is off, with a warning
 * @param generatedKeyFile where the generated master key lives (mode 0600); empty: next to the embedded
 *                         PostgreSQL's data directory ({@code ./data/encryption-master-key})
 * @param keyCacheTtl      how long a node keeps an opened conversation key for live pushes and the aggregate:
 *                         an erasure on another node is seen by this node's live pushes within this time (at
 *                         once on the node that erased); requests and projection batches never use the cache
 * @param keyCacheSize     how many opened conversation keys a node keeps
 */
@ConfigurationProperties("convtrail.encryption")
public record EncryptionProperties(
        @DefaultValue("true") boolean enabled,
        String masterKey,
        Path generatedKeyFile,
        @DefaultValue("5s") Duration keyCacheTtl,
        @DefaultValue("100000") int keyCacheSize) {
}
