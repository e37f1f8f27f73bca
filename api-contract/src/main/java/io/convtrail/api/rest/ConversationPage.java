package io.convtrail.api.rest;

import java.util.List;

/** A page of the conversation list; {@code nextCursor} continues it (null on the last page). */
public record ConversationPage(List<ConversationSummary> conversations, String nextCursor) {
}
