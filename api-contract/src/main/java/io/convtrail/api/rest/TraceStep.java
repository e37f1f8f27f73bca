package io.convtrail.api.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/**
 * One engine step as ConvEngine's trace shows it: opened by STEP_ENTER ({@code RUNNING}), closed by
 * STEP_EXIT ({@code OK}) or STEP_ERROR ({@code ERROR}, with {@code error}); {@code stages} are the
 * stages recorded while it was the innermost open step.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"step", "stepClass", "sourceFile", "status", "startedAt", "endedAt", "durationMs", "error",
        "stages"})
public record TraceStep(
        String step,
        String stepClass,
        String sourceFile,
        Status status,
        String startedAt,
        String endedAt,
        Long durationMs,
        String error,
        List<TraceStage> stages) {

    /** Where the step is; the name is the wire value. */
    public enum Status {
        RUNNING,
        OK,
        ERROR
    }
}
