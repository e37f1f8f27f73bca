package io.convtrail.query.consistency;

import io.convtrail.api.refusal.Refusal;
import io.convtrail.api.refusal.RefusedException;

import java.time.Duration;
import java.util.UUID;

/** A read that would be partial: 503 problem+json with Retry-After, never a silently incomplete answer. */
public class ReadModelNotCurrentException extends RefusedException {

    private ReadModelNotCurrentException(Refusal reason, String detail, String projection, UUID conversationId,
                                         Duration retryAfter) {
        super(reason, null, detail, retryAfter);
        with("projection", projection);
        with("conversationId", conversationId.toString());
    }

    static ReadModelNotCurrentException behind(String projection, UUID conversationId, Duration waited,
                                               Duration retryAfter) {
        return new ReadModelNotCurrentException(Refusal.READ_MODEL_BEHIND,
                "The " + projection + " read model has not yet applied every event of conversation " + conversationId
                        + " (waited " + waited.toMillis() + " ms); try again shortly.",
                projection, conversationId, retryAfter);
    }

    static ReadModelNotCurrentException quarantined(String projection, UUID conversationId, Duration retryAfter) {
        return new ReadModelNotCurrentException(Refusal.READ_MODEL_INCOMPLETE,
                "An event of conversation " + conversationId + " could not be applied to the " + projection
                        + " read model and is held in quarantine until an operator retries it "
                        + "(GET /actuator/projections shows it).",
                projection, conversationId, retryAfter);
    }
}
