package io.convtrail.app.security;

import io.convtrail.api.security.AccessTokens;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The HS256 signing secret: the configured one, or one generated on first start and kept in a file
 * only its owner can read, so that a fresh clone still starts with two commands and its tokens
 * survive restarts. Shared by the service and its {@code token} command.
 *
 * @param key       the secret's bytes
 * @param generated true when it came from (or was just written to) the generated-secret file
 */
public record JwtSecret(byte[] key, boolean generated) {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    public static JwtSecret resolve(String configured, Path generatedFile) {
        if (configured != null && !configured.isEmpty()) {
            byte[] key = configured.getBytes(StandardCharsets.UTF_8);
            if (key.length < AccessTokens.MIN_SECRET_BYTES) {
                throw new InvalidSecretException("CONVTRAIL_SECURITY_JWT_SECRET (convtrail.security.jwt.secret) has "
                        + key.length + " bytes; HS256 needs at least " + AccessTokens.MIN_SECRET_BYTES
                        + " UTF-8 bytes. Use a longer secret, e.g. the output of `openssl rand -base64 48`.");
            }
            return new JwtSecret(key, false);
        }
        return new JwtSecret(readOrCreate(generatedFile.toAbsolutePath().normalize()), true);
    }

    private static byte[] readOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                writeNew(file);
            }
            byte[] key = Files.readString(file, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
            if (key.length < AccessTokens.MIN_SECRET_BYTES) {
                throw new InvalidSecretException("the generated secret in " + file + " has only " + key.length
                        + " bytes; delete the file to generate a new one");
            }
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the generated JWT secret " + file, e);
        }
    }

    private static void writeNew(Path file) throws IOException {
        byte[] random = new byte[48];
        new SecureRandom().nextBytes(random);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Files.createDirectories(file.getParent());
        try {
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                // created with the owner-only mode, so the secret is never readable by others, not even briefly
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createFile(file);
            }
            Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
        } catch (FileAlreadyExistsException raced) {
            // another process generated it first: use theirs
        }
    }

    /** A secret that HS256 cannot use; startup stops with this message. */
    public static class InvalidSecretException extends IllegalStateException {
        public InvalidSecretException(String message) {
            super(message);
        }
    }
}
