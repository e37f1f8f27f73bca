package io.convtrail.api.rest;

import java.util.UUID;

/**
 * One conversation of the index: whose, when, how far, how its turns ended, which flow answered it.
 * Times are ISO-8601 UTC; {@code owner} is null when it was created with security off.
 */
public record ConversationSummary(UUID conversationId, String owner, String startedAt, String lastActivityAt,
                                  int turns, String lastIntent, String lastState, OutcomeCounts outcomes,
                                  String flowId, String flowVersion) {

    public record OutcomeCounts(int answered, int failed, int abandoned, int blocked) {
    }
}
