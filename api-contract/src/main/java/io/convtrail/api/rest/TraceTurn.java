package io.convtrail.api.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;
import java.util.UUID;

/**
 * One turn of a conversation, the boundary ConvEngine's trace lacks. {@code status} is RUNNING,
 * COMPLETED or ABANDONED; {@code outcome} (ANSWERED, BLOCKED, FAILED) is set once it completed;
 * {@code intent} and {@code state} are where the turn left the conversation. {@code steps} are the
 * steps it ran; {@code stagesOutsideSteps} the stages it recorded while no step was open.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"turnId", "index", "userText", "startedAt", "endedAt", "durationMs", "intent", "state",
        "status", "outcome", "steps", "stagesOutsideSteps"})
public record TraceTurn(
        UUID turnId,
        int index,
        String userText,
        String startedAt,
        String endedAt,
        Long durationMs,
        String intent,
        String state,
        Status status,
        String outcome,
        List<TraceStep> steps,
        List<TraceStage> stagesOutsideSteps) {

    /** Where the turn is; the name is the wire value. */
    public enum Status {
        RUNNING,
        COMPLETED,
        ABANDONED
    }
}
