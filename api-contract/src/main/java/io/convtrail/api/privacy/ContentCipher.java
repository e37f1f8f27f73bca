package io.convtrail.api.privacy;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

/**
 * AES-256-GCM from the JDK (JCA), nothing home-made. A sealed value is {@code enc:v1:} followed by
 * base64url(IV of 96 random bits, ciphertext and 128-bit tag); the conversation id is the associated
 * data, so a value copied into another conversation does not open there.
 */
public final class ContentCipher {

    public static final String PREFIX = "enc:v1:";

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * One cipher object per thread, initialized afresh (key and a new IV) for every value, instead of a
     * JCA provider lookup and a new cipher object for each of a turn's sealed values.
     */
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance(TRANSFORMATION);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is required by every JVM", e);
        }
    });

    private ContentCipher() {
    }

    /** A fresh 256-bit conversation key. */
    public static SecretKey newKey() {
        try {
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(256, RANDOM);
            return generator.generateKey();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES is required by every JVM", e);
        }
    }

    public static boolean isSealed(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    public static String seal(SecretKey key, UUID conversationId, String plaintext) {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher cipher = CIPHERS.get();
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(associatedData(conversationId));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array();
            return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /**
     * Opens a sealed value. Throws {@link UnreadableException} when it does not open with this key and
     * conversation: another key, another conversation, or a changed byte (GCM's tag fails).
     */
    public static String open(SecretKey key, UUID conversationId, String sealed) {
        if (!isSealed(sealed)) {
            throw new UnreadableException("not a sealed value");
        }
        byte[] in;
        try {
            in = Base64.getUrlDecoder().decode(sealed.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new UnreadableException("not base64url");
        }
        if (in.length < IV_BYTES + TAG_BITS / 8) {
            throw new UnreadableException("too short");
        }
        try {
            Cipher cipher = CIPHERS.get();
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
            cipher.updateAAD(associatedData(conversationId));
            return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new UnreadableException("authentication tag does not match (wrong key or altered)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
    }

    private static byte[] associatedData(UUID conversationId) {
        return conversationId.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** A sealed value that does not open: the wrong key, or storage was altered. */
    public static final class UnreadableException extends RuntimeException {
        public UnreadableException(String message) {
            super(message);
        }
    }
}
