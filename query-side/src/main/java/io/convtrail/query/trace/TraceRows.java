package io.convtrail.query.trace;

import io.convtrail.api.privacy.ContentOpener;
import io.convtrail.api.rest.TraceStep;
import io.convtrail.api.rest.TraceTurn;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;

/** The rows of the trace read model as the repository reads them. */
final class TraceRows {

    private TraceRows() {
    }

    /** The rows as a reader sees them: stored content opened, or erased. */
    static <R> List<R> opened(ContentOpener opener, List<R> rows, BiFunction<R, ContentOpener, R> open) {
        return rows.stream().map(row -> open.apply(row, opener)).toList();
    }

    record TurnRow(UUID turnId, int index, String userText, Instant startedAt, Instant endedAt, String intent,
                   String state, TraceTurn.Status status, String outcome) {

        TurnRow opened(ContentOpener opener) {
            return new TurnRow(turnId, index, opener.text(userText), startedAt, endedAt, intent, state, status,
                    outcome);
        }
    }

    /** {@code stepId} is the auditId of the step's STEP_ENTER. */
    record StepRow(long stepId, UUID turnId, String step, String stepClass, String sourceFile, TraceStep.Status status,
                   Instant startedAt, Instant endedAt, Long durationMs, String error) {

        StepRow opened(ContentOpener opener) {
            return new StepRow(stepId, turnId, step, stepClass, sourceFile, status, startedAt, endedAt, durationMs,
                    opener.text(error));
        }
    }

    record StageRow(long auditId, UUID turnId, Long stepId, String stage, Instant createdAt, String payloadJson) {

        StageRow opened(ContentOpener opener) {
            String opened = opener.stagePayload(payloadJson);
            return opened == payloadJson ? this : new StageRow(auditId, turnId, stepId, stage, createdAt, opened);
        }
    }
}
