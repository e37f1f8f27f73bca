package io.convtrail.query.trace;

import io.convtrail.api.Stage;
import io.convtrail.api.rest.TraceTurn;

import java.time.Instant;
import java.util.UUID;

/** What one event changes in the trace, as the projection hands it to {@link TraceWrites}. */
sealed interface TraceChange {

    record TurnStarted(UUID conversationId, UUID turnId, int index, String userText, Instant startedAt)
            implements TraceChange {
    }

    record TurnEnded(UUID turnId, Instant endedAt, TraceTurn.Status status, String outcome, String intent,
                     String state) implements TraceChange {
    }

    /** A stage; {@code bracket} is what a STEP_ENTER, STEP_EXIT or STEP_ERROR says, null for other stages. */
    record StageRecorded(UUID conversationId, long auditId, UUID turnId, Stage stage, Instant createdAt,
                         String payloadJson, StepBracket bracket) implements TraceChange {
    }
}
