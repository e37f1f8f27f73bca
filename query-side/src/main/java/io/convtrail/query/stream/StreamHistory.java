package io.convtrail.query.stream;

import io.convtrail.api.stream.StreamEvent;

import java.util.List;
import java.util.UUID;

/**
 * Stored stream events, read from the same read model the live path fills. Its owner is the audit
 * read model's repository ({@code AuditRepository}); the stream asks it directly.
 */
public interface StreamHistory {

    /**
     * Up to {@code limit} records (stages and verbose messages) after {@code afterSequence}, in sequence
     * order, each preceded by the turn boundaries stored before it; the boundaries placed after
     * {@code afterSequence} itself come first, and those after the page's last record follow it when
     * the page is the last one. A boundary's {@code sequence} is the record it follows.
     */
    List<StreamEvent> after(UUID conversationId, long afterSequence, int limit);

    /** The conversation's last stream position, 0 when it has none: a live stream starts after it. */
    long head(UUID conversationId);
}
