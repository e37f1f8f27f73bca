package io.convtrail.api.query;

import io.convtrail.api.event.TurnOutcome;

import java.time.Instant;
import java.util.UUID;

/**
 * Conversations of the index, newest (latest started) first. Every filter is optional (null = any):
 * {@code activeFrom}/{@code activeTo} keep conversations active within that window (started before its
 * end, last active after its start); {@code intent} and {@code state} match the last turn's;
 * {@code outcome} keeps conversations with at least one turn of it; {@code text} is contained in one of
 * the user's messages, ignoring case. {@code after} continues after the last one of a previous page.
 */
public record FindConversationsQuery(Instant activeFrom, Instant activeTo, String intent, String state,
                                     TurnOutcome outcome, String flowVersion, String owner, String text,
                                     Position after, int limit) {

    /** Where a page ended: the last conversation's start and id (the list's order). */
    public record Position(Instant startedAt, UUID conversationId) {
    }
}
