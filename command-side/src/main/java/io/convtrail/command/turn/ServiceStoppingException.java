package io.convtrail.command.turn;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import java.net.URI;

/** The service is stopping: a new turn is refused, or a running one was closed as abandoned. Answered 503. */
public class ServiceStoppingException extends ErrorResponseException {

    /** Seconds a client should wait before retrying (on this or another node). */
    static final String RETRY_AFTER_SECONDS = "5";

    private ServiceStoppingException(String detail) {
        super(HttpStatus.SERVICE_UNAVAILABLE, problem(detail), null);
        getHeaders().set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
    }

    static ServiceStoppingException refused() {
        return new ServiceStoppingException("The service is stopping and takes no new turns. Nothing was recorded;"
                + " retry in a few seconds.");
    }

    static ServiceStoppingException abandoned() {
        return new ServiceStoppingException("The service stopped before this turn finished; it is recorded as"
                + " abandoned and the conversation takes the next turn as soon as the service is back.");
    }

    private static ProblemDetail problem(String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, detail);
        problem.setTitle("Service stopping");
        problem.setType(URI.create("urn:convtrail:problem:service-stopping"));
        return problem;
    }
}
