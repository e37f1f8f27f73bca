package io.convtrail.api.rest;

import java.util.UUID;

/** The answer to {@code DELETE /api/v1/conversations/{id}}. */
public record ErasureReceipt(UUID conversationId, String erasedBy, String reason, String erasedAt, boolean shredded) {
}
