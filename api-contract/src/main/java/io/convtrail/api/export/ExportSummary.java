package io.convtrail.api.export;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.UUID;

/**
 * The last line of an export. For one conversation: its record count and chain head; for a window
 * ({@code conversationId} and {@code head} null): the {@code after} position it was asked for, the
 * number of records in this response (all after that position) and the position of the last one, to
 * resume from.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ExportSummary(
        String type,
        UUID conversationId,
        long count,
        String head,
        Long after,
        Long lastPosition,
        String exportedAt) {

    public static final String TYPE = "summary";
}
