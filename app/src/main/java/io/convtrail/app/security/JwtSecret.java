package io.convtrail.app.security;

import io.convtrail.api.security.AccessTokens;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The HS256 signing secret: the configured one, or one generated on first start and kept in a file
 * only its owner can read, so that a fresh clone still starts with two commands and its tokens
 * survive restarts. Shared by the service and its {@code token} command.
 *
 * @param key       the secret's bytes
 * @param generated true when it came from (or was just written to) the generated-secret file
 */
public record JwtSecret(byte[] key, boolean generated) {

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
        byte[] key = SecretFiles.readOrCreate(file).getBytes(StandardCharsets.UTF_8);
        if (key.length < AccessTokens.MIN_SECRET_BYTES) {
            throw new InvalidSecretException("the generated secret in " + file + " has only " + key.length
                    + " bytes; delete the file to generate a new one");
        }
        return key;
    }

    /** A secret that HS256 cannot use; startup stops with this message. */
    public static class InvalidSecretException extends IllegalStateException {
        public InvalidSecretException(String message) {
            super(message);
        }
    }
}
