package io.convtrail.app.privacy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * Finds the master key that wraps every conversation key: configured, or generated on the zero-setup
 * default, or none (encryption off, said loudly).
 */
final class MasterKeys {

    private static final Logger log = LoggerFactory.getLogger(MasterKeys.class);
    private static final int KEY_BYTES = 32;

    private MasterKeys() {
    }

    /**
     * The master key, if there is one: configured, or on the zero-setup default the generated one (generated
     * only while encryption is on). With encryption turned off a master key still opens what was sealed before.
     */
    static Optional<SecretKey> resolve(EncryptionProperties properties, Environment environment) {
        Optional<SecretKey> master = find(properties, environment);
        if (!properties.enabled()) {
            log.warn("ENCRYPTION IS OFF (convtrail.encryption.enabled=false): new personal content is stored in the "
                    + "clear, and an erasure can hide it from readers but not shred it.{}", master.isPresent()
                    ? " Content sealed before is still read with the master key." : "");
        } else if (master.isEmpty()) {
            log.warn("ENCRYPTION IS OFF: an external database (spring.datasource.url) and no master key "
                    + "(CONVTRAIL_ENCRYPTION_MASTER_KEY). Personal content is stored in the clear, and an erasure can "
                    + "hide it from readers but not shred it. Set the same master key on every node, e.g. "
                    + "`openssl rand -base64 32`.");
        }
        return master;
    }

    private static Optional<SecretKey> find(EncryptionProperties properties, Environment environment) {
        if (properties.masterKey() != null && !properties.masterKey().isBlank()) {
            log.info("Encryption master key from convtrail.encryption.master-key");
            return Optional.of(decode(properties.masterKey().strip(), "convtrail.encryption.master-key "
                    + "(CONVTRAIL_ENCRYPTION_MASTER_KEY)"));
        }
        if (environment.getProperty("spring.datasource.url", "").isBlank()) {
            Path file = generatedFile(properties, environment);
            if (!properties.enabled() && !Files.exists(file)) {
                return Optional.empty();
            }
            SecretKey key = decode(readOrCreate(file), file.toString());
            log.info("Encryption master key from {}", file);
            return Optional.of(key);
        }
        return Optional.empty();
    }

    static Path generatedFile(EncryptionProperties properties, Environment environment) {
        if (properties.generatedKeyFile() != null) {
            return properties.generatedKeyFile().toAbsolutePath().normalize();
        }
        Path dataDir = Path.of(environment.getProperty("convtrail.embedded-postgres.data-dir", "./data/postgres"))
                .toAbsolutePath().normalize();
        return dataDir.resolveSibling("encryption-master-key");
    }

    static SecretKey decode(String text, String source) {
        byte[] bytes;
        try {
            bytes = text.contains("-") || text.contains("_")
                    ? Base64.getUrlDecoder().decode(text) : Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("The master key in " + source + " is not base64: give 32 random bytes "
                    + "in base64, e.g. from `openssl rand -base64 32`");
        }
        if (bytes.length != KEY_BYTES) {
            throw new IllegalStateException("The master key in " + source + " has " + bytes.length
                    + " bytes; it must have 32 (AES-256), e.g. from `openssl rand -base64 32`");
        }
        return new SecretKeySpec(bytes, "AES");
    }

    /** The key in {@code file}, generated when the file does not exist; created owner-readable only (0600). */
    private static String readOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                byte[] random = new byte[KEY_BYTES];
                new SecureRandom().nextBytes(random);
                Files.createDirectories(file.getParent());
                try {
                    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                        Files.createFile(file, PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString("rw-------")));
                    } else {
                        Files.createFile(file);
                    }
                    Files.writeString(file, Base64.getEncoder().encodeToString(random) + "\n", StandardCharsets.UTF_8);
                    log.info("Generated the encryption master key into {} (owner-readable only); back it up: without "
                            + "it no conversation can be read", file);
                } catch (FileAlreadyExistsException raced) {
                    // another process generated it first: use theirs
                }
            }
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the generated master key " + file, e);
        }
    }
}
