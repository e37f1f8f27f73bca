package io.convtrail.api.stream;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.convtrail.api.rest.TraceTurn;

import java.util.UUID;

/**
 * The payload of a TURN envelope: where a turn starts ({@link #START}: {@code index}, {@code userText},
 * status RUNNING) or ends ({@link #END}: status COMPLETED or ABANDONED, with the outcome, intent and
 * state a completed turn left). The same facts the trace's {@link TraceTurn} shows, so a client
 * groups the stream's records into turns by the server's rule instead of guessing from stage names.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"turnId", "index", "userText", "status", "outcome", "intent", "state"})
public record TurnBoundary(UUID turnId, Integer index, String userText, TraceTurn.Status status, String outcome,
                           String intent, String state) {

    /** The envelope {@code stage} of a start and of an end; the SSE event name of both is {@code TURN}. */
    public static final String START = "TURN_START";
    public static final String END = "TURN_END";

    public static TurnBoundary started(UUID turnId, int index, String userText) {
        return new TurnBoundary(turnId, index, userText, TraceTurn.Status.RUNNING, null, null, null);
    }

    public static TurnBoundary completed(UUID turnId, String outcome, String intent, String state) {
        return new TurnBoundary(turnId, null, null, TraceTurn.Status.COMPLETED, outcome, intent, state);
    }

    public static TurnBoundary abandoned(UUID turnId) {
        return new TurnBoundary(turnId, null, null, TraceTurn.Status.ABANDONED, null, null, null);
    }

    public String stage() {
        return status == TraceTurn.Status.RUNNING ? START : END;
    }
}
