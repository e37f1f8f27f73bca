package io.convtrail.api.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;
import java.util.UUID;

/**
 * A page of a conversation's trace: the turns from {@code fromTurn} on (at most the page size), with
 * their steps and stages, shaped like {@link ConversationTrace}. {@code lastTurn} is the conversation's
 * highest turn index (null without turns); {@code nextFromTurn} and {@code next} (the path of the
 * next page) are null on the last page. Stages recorded outside every turn (feedback) are in the whole
 * trace and the raw audit only.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"conversationId", "fromTurn", "lastTurn", "nextFromTurn", "next", "steps", "stages", "turns"})
public record TracePage(
        UUID conversationId,
        int fromTurn,
        Integer lastTurn,
        Integer nextFromTurn,
        String next,
        List<TraceStep> steps,
        List<TraceStage> stages,
        List<TraceTurn> turns) {
}
