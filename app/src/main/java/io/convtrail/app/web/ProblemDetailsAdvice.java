package io.convtrail.app.web;

import io.convtrail.app.database.ConnectionFailures;
import io.convtrail.command.aggregate.TurnNotOpenException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.net.URI;

/**
 * The one place that turns failures into problem+json. Spring's own request errors (malformed JSON,
 * wrong media type, unknown path) and every {@code ErrorResponseException} the endpoints throw are
 * handled by the base class; what is left never shows a stack trace.
 */
@RestControllerAdvice
public class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);
    private static final String DATABASE_RETRY_AFTER_SECONDS = "5";

    @ExceptionHandler(AggregateNotFoundException.class)
    ProblemDetail unknownConversation(AggregateNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Unknown conversation",
                "No conversation with id " + e.getAggregateIdentifier(), "unknown-conversation");
    }

    @ExceptionHandler(TurnNotOpenException.class)
    ProblemDetail turnClosed(TurnNotOpenException e) {
        return problem(HttpStatus.CONFLICT, "Turn no longer open",
                "The turn was closed (abandoned after its timeout) before it finished: " + e.getMessage(),
                "turn-not-open");
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        Throwable outage = ConnectionFailures.find(e);
        if (outage != null) {
            // expected while PostgreSQL is down or restarting: one line, no stack trace, and a retryable answer
            log.warn("Database unavailable: {}", outage.toString());
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(HttpHeaders.RETRY_AFTER, DATABASE_RETRY_AFTER_SECONDS)
                    .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "Database unavailable",
                            "The database cannot be reached; nothing more of this request was recorded."
                                    + " Retry in a few seconds.", "database-unavailable"));
        }
        log.error("Unhandled error", e);
        return ResponseEntity.internalServerError().body(problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
                "The server failed to handle the request; the error has been logged.", "internal-error"));
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail, String type) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setType(URI.create("urn:convtrail:problem:" + type));
        return problem;
    }
}
