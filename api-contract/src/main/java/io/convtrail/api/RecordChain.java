package io.convtrail.api;

import io.convtrail.api.event.VerboseMessage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The hash chain that makes a conversation's record tamper-evident: each stage or verbose record's
 * hash covers the previous record's hash, its stream position, its kind and its content. The
 * aggregate computes it on write; anyone holding the events can recompute and compare.
 */
public final class RecordChain {

    /** The hash before a conversation's first record. */
    public static final String GENESIS = "0".repeat(64);

    private static final byte SEPARATOR_BYTE = 0x1f;
    /** digest() resets it for the next record of the thread. */
    private static final ThreadLocal<MessageDigest> DIGESTS = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    });

    private RecordChain() {
    }

    public static String stageHash(String previousHash, long sequence, Stage stage, String payloadJson,
                                   Instant createdAt) {
        return sha256(previousHash, sequence, stage.name(), createdAt, payloadJson);
    }

    public static String verboseHash(String previousHash, long sequence, VerboseMessage v, Instant createdAt) {
        return sha256(previousHash, sequence, "VERBOSE", createdAt, v.eventType(), v.stepName(), v.determinant(),
                v.intent(), v.state(), v.ruleId(), v.toolCode(), v.level(), v.text());
    }

    /**
     * The bytes of previousHash SEP sequence SEP kind SEP content SEP createdAt, where content is its pieces
     * joined by SEP, fed piece by piece: the material is not first copied into one string and encoded again
     * (a payload is up to a few KB). SEP is one byte in UTF-8, so this is the hash of the joined string.
     */
    private static String sha256(String previousHash, long sequence, String kind, Instant createdAt,
                                 String... content) {
        MessageDigest digest = DIGESTS.get();
        digest.update(previousHash.getBytes(StandardCharsets.UTF_8));
        digest.update(SEPARATOR_BYTE);
        digest.update(Long.toString(sequence).getBytes(StandardCharsets.UTF_8));
        digest.update(SEPARATOR_BYTE);
        digest.update(kind.getBytes(StandardCharsets.UTF_8));
        for (String piece : content) {
            digest.update(SEPARATOR_BYTE);
            digest.update(String.valueOf(piece).getBytes(StandardCharsets.UTF_8));
        }
        digest.update(SEPARATOR_BYTE);
        digest.update(String.valueOf(createdAt).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest.digest());
    }
}
