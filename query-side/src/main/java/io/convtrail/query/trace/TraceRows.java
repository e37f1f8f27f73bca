package io.convtrail.query.trace;

import io.convtrail.api.rest.TraceStep;
import io.convtrail.api.rest.TraceTurn;

import java.time.Instant;
import java.util.UUID;

/** The rows of the trace read model as the repository reads them. */
final class TraceRows {

    private TraceRows() {
    }

    record TurnRow(UUID turnId, int index, String userText, Instant startedAt, Instant endedAt, String intent,
                   String state, TraceTurn.Status status, String outcome) {
    }

    /** {@code stepId} is the auditId of the step's STEP_ENTER. */
    record StepRow(long stepId, UUID turnId, String step, String stepClass, String sourceFile, TraceStep.Status status,
                   Instant startedAt, Instant endedAt, Long durationMs, String error) {
    }

    /** {@code stepId} is the step the stage was recorded in, null outside steps and for the brackets themselves. */
    record StageRow(long auditId, UUID turnId, Long stepId, String stage, Instant createdAt, String payloadJson) {
    }
}
