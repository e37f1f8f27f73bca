package io.convtrail.app.web;

import io.convtrail.api.refusal.Refusal;
import io.convtrail.api.refusal.RefusedException;
import io.convtrail.app.database.ConnectionFailures;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;

/**
 * Replaces Spring Boot's error page controller, which answered JSON of its own shape and a 500 to
 * a plain {@code GET /error}. What the container forwards here (an error outside Spring MVC: a
 * filter, a container limit) is answered as problem+json through the one {@link ProblemFactory};
 * a client asking for {@code /error} itself gets 404 like any other path without an endpoint.
 */
@RestController
@RequestMapping("${server.error.path:${error.path:/error}}")
public class ProblemErrorController implements ErrorController {

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorController.class);

    private final ProblemFactory problems;

    public ProblemErrorController(ProblemFactory problems) {
        this.problems = problems;
    }

    @RequestMapping
    public ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (code == null) {
            return problems.refuse(new RefusedException(Refusal.NOT_FOUND, "No endpoint " + request.getRequestURI()),
                    request);
        }
        Throwable failure = unwrap((Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION));
        if (failure instanceof RefusedException refused) {
            return withInstance(problems.refuse(refused, request), request);
        }
        Throwable outage = failure == null ? null : ConnectionFailures.find(failure);
        if (outage != null) {
            // a filter that needed the database (an owner lookup) and got no connection: retryable, not a 500
            log.warn("Database unavailable: {}", outage.toString());
            return withInstance(problems.refuse(new RefusedException(Refusal.DATABASE_UNAVAILABLE, null,
                    "The database cannot be reached or is busy; nothing of this request was done."
                            + " Retry in a few seconds.", ProblemDetailsAdvice.DATABASE_RETRY_AFTER), request), request);
        }
        HttpStatus status = HttpStatus.resolve((Integer) code);
        if (status == null || status.is5xxServerError()) {
            log.error("Request {} failed", RefusalLog.printable(originalUri(request), 120), failure);
            return ResponseEntity.status(status == null ? HttpStatus.INTERNAL_SERVER_ERROR : status)
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(withInstance(problems.internalError(request), request));
        }
        Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        String detail = message instanceof String text && !text.isBlank() ? text : status.getReasonPhrase();
        ProblemDetail problem = problems.refuse(status, ProblemFactory.reasonFor(status), detail, null, request);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(withInstance(problem, request));
    }

    private static ResponseEntity<ProblemDetail> withInstance(ResponseEntity<ProblemDetail> answer,
                                                              HttpServletRequest request) {
        withInstance(answer.getBody(), request);
        return answer;
    }

    private static ProblemDetail withInstance(ProblemDetail problem, HttpServletRequest request) {
        try {
            problem.setInstance(URI.create(originalUri(request)));
        } catch (IllegalArgumentException notAUri) {
            problem.setInstance(null);
        }
        return problem;
    }

    private static String originalUri(HttpServletRequest request) {
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        return uri instanceof String text ? text : request.getRequestURI();
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof ServletException servlet && servlet.getCause() != null) {
            cause = servlet.getCause();
        }
        return cause;
    }
}
