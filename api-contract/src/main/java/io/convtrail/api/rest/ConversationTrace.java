package io.convtrail.api.rest;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;
import java.util.UUID;

/**
 * ConvEngine's trace ({@code conversationId}, {@code steps}, flat {@code stages}) plus the turns
 * that group the steps. Everything is in auditId order; an unknown conversation has empty lists.
 */
@JsonPropertyOrder({"conversationId", "steps", "stages", "turns"})
public record ConversationTrace(
        UUID conversationId,
        List<TraceStep> steps,
        List<TraceStage> stages,
        List<TraceTurn> turns) {
}
