package io.convtrail.query.consistency;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import java.net.URI;
import java.time.Duration;
import java.util.UUID;

/** A read that would be partial: 503 problem+json with Retry-After, never a silently incomplete answer. */
public class ReadModelNotCurrentException extends ErrorResponseException {

    private ReadModelNotCurrentException(String type, String title, String detail, String projection,
                                         UUID conversationId, Duration retryAfter) {
        super(HttpStatus.SERVICE_UNAVAILABLE, problem(type, title, detail, projection, conversationId), null);
        getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
    }

    static ReadModelNotCurrentException behind(String projection, UUID conversationId, Duration waited,
                                               Duration retryAfter) {
        return new ReadModelNotCurrentException("read-model-behind", "Read model behind",
                "The " + projection + " read model has not yet applied every event of conversation " + conversationId
                        + " (waited " + waited.toMillis() + " ms); try again shortly.",
                projection, conversationId, retryAfter);
    }

    static ReadModelNotCurrentException quarantined(String projection, UUID conversationId, Duration retryAfter) {
        return new ReadModelNotCurrentException("read-model-incomplete", "Read model incomplete",
                "An event of conversation " + conversationId + " could not be applied to the " + projection
                        + " read model and is held in quarantine until an operator retries it "
                        + "(GET /actuator/projections shows it).",
                projection, conversationId, retryAfter);
    }

    private static ProblemDetail problem(String type, String title, String detail, String projection,
                                         UUID conversationId) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, detail);
        problem.setTitle(title);
        problem.setType(URI.create("urn:convtrail:problem:" + type));
        problem.setProperty("projection", projection);
        problem.setProperty("conversationId", conversationId.toString());
        return problem;
    }
}
