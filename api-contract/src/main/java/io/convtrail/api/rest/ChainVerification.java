package io.convtrail.api.rest;

import java.util.UUID;

/**
 * The outcome of checking a conversation's hash chain. {@code headHash} is the hash of the last
 * record: an auditor who notes it can later prove that nothing before it changed.
 * {@code brokenAtSequence} and {@code problem} say where and why the check failed (null when intact).
 */
public record ChainVerification(
        UUID conversationId,
        long records,
        boolean intact,
        long headSequence,
        String headHash,
        Long brokenAtSequence,
        String problem) {
}
