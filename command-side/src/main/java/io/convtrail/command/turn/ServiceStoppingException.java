package io.convtrail.command.turn;

import io.convtrail.api.refusal.Refusal;
import io.convtrail.api.refusal.RefusedException;

import java.time.Duration;

/** The service is stopping: a new turn is refused, or a running one was closed as abandoned. Answered 503. */
public class ServiceStoppingException extends RefusedException {

    /** How long a client should wait before retrying (on this or another node). */
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private ServiceStoppingException(String detail) {
        super(Refusal.SERVICE_STOPPING, null, detail, RETRY_AFTER);
    }

    static ServiceStoppingException refused() {
        return new ServiceStoppingException("The service is stopping and takes no new turns. Nothing was recorded;"
                + " retry in a few seconds.");
    }

    static ServiceStoppingException abandoned() {
        return new ServiceStoppingException("The service stopped before this turn finished; it is recorded as"
                + " abandoned and the conversation takes the next turn as soon as the service is back.");
    }
}
