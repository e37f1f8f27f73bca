package io.convtrail.app.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.api.refusal.Refusal;
import io.convtrail.api.refusal.RefusedException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/**
 * The one place that turns a refusal into problem+json (RFC 9457): the status for each reason, the
 * type {@code urn:convtrail:problem:<slug>}, the title, the culprit {@code field}, and
 * {@code Retry-After} for rate limits, outages and every 409 (a busy or closed turn clears within a
 * second or two, so a client may simply retry). The advice, the error controller and the edge filters all
 * answer through it, and every answer is counted and logged once by {@link RefusalLog}.
 */
@Component
public class ProblemFactory {

    static final String TYPE_PREFIX = "urn:convtrail:problem:";
    /** A 409 names a turn that is running or was just closed: worth a retry shortly, not at once. */
    static final Duration CONFLICT_RETRY_AFTER = Duration.ofSeconds(1);

    private final RefusalLog log;
    private final ObjectMapper json;

    public ProblemFactory(RefusalLog log, ObjectMapper json) {
        this.log = log;
        this.json = json;
    }

    public static HttpStatus status(Refusal reason) {
        return switch (reason) {
            case INVALID_REQUEST, MALFORMED_JSON, UNSUPPORTED_TEXT, MALFORMED_FRAME, OTHER -> HttpStatus.BAD_REQUEST;
            case TOO_LARGE, CONVERSATION_FULL -> HttpStatus.PAYLOAD_TOO_LARGE;
            case UNKNOWN_CONVERSATION, NOT_FOUND -> HttpStatus.NOT_FOUND;
            case UNAUTHENTICATED -> HttpStatus.UNAUTHORIZED;
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
            case CONVERSATION_ERASED -> HttpStatus.GONE;
            case METHOD_NOT_ALLOWED -> HttpStatus.METHOD_NOT_ALLOWED;
            case NOT_ACCEPTABLE -> HttpStatus.NOT_ACCEPTABLE;
            case UNSUPPORTED_MEDIA_TYPE -> HttpStatus.UNSUPPORTED_MEDIA_TYPE;
            case TURN_IN_PROGRESS, TURN_NOT_OPEN -> HttpStatus.CONFLICT;
            case TURN_RATE_EXCEEDED, RATE_LIMITED, TOO_MANY_STREAMS -> HttpStatus.TOO_MANY_REQUESTS;
            case SERVICE_STOPPING, DATABASE_UNAVAILABLE, READ_MODEL_BEHIND, READ_MODEL_INCOMPLETE, READ_SIDE_BEHIND ->
                    HttpStatus.SERVICE_UNAVAILABLE;
        };
    }

    /** The reason for a status Spring's own request handling chose (unknown path, wrong method, ...). */
    public static Refusal reasonFor(HttpStatusCode status) {
        return switch (status.value()) {
            case 404 -> Refusal.NOT_FOUND;
            case 405 -> Refusal.METHOD_NOT_ALLOWED;
            case 406 -> Refusal.NOT_ACCEPTABLE;
            case 413 -> Refusal.TOO_LARGE;
            case 415 -> Refusal.UNSUPPORTED_MEDIA_TYPE;
            case 400 -> Refusal.INVALID_REQUEST;
            default -> Refusal.OTHER;
        };
    }

    /** The answer to a refusal; counted and logged. */
    public ResponseEntity<ProblemDetail> refuse(RefusedException refused, HttpServletRequest request) {
        HttpStatus status = status(refused.reason());
        ProblemDetail problem = problem(status, refused.reason(), refused.getMessage(), refused.field());
        refused.properties().forEach(problem::setProperty);
        HttpHeaders headers = new HttpHeaders();
        Duration retryAfter = retryAfter(status, refused);
        if (retryAfter != null) {
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds(retryAfter)));
        }
        log.refused(request, status, refused.reason(), refused.field());
        return ResponseEntity.status(status).headers(headers).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    /** For a status some other part of the stack decided (Spring MVC, the container); counted and logged. */
    public ProblemDetail refuse(HttpStatusCode status, Refusal reason, String detail, String field,
                                HttpServletRequest request) {
        log.refused(request, status, reason, field);
        return problem(status, reason, detail, field);
    }

    /** A 500: the cause is logged by the caller, once, with its stack trace; the client learns nothing of it. */
    public ProblemDetail internalError(HttpServletRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "The server failed to handle the request; the error has been logged.");
        problem.setTitle("Internal error");
        problem.setType(URI.create(TYPE_PREFIX + "internal-error"));
        problem.setInstance(instance(request));
        return problem;
    }

    /** For the servlet filters, which answer before Spring MVC (and its message converters) is reached. */
    public void write(RefusedException refused, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        write(refused, status(refused.reason()).value(), request, response);
    }

    /**
     * For refusals whose caller counts and logs them its own way (Spring Security's, through
     * {@code DeniedAttempts}): the same body, not counted or logged again here.
     */
    public void writeCounted(RefusedException refused, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        HttpStatus status = status(refused.reason());
        write(refused, status.value(), problem(status, refused.reason(), refused.getMessage(), refused.field()),
                request, response);
    }

    /** As above, keeping a status another handler chose (a 4xx the reasons have no finer word for). */
    void write(RefusedException refused, int status, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        HttpStatusCode code = HttpStatusCode.valueOf(status);
        write(refused, status, refuse(code, refused.reason(), refused.getMessage(), refused.field(), request),
                request, response);
    }

    private void write(RefusedException refused, int status, ProblemDetail problem, HttpServletRequest request,
                       HttpServletResponse response) throws IOException {
        refused.properties().forEach(problem::setProperty);
        problem.setInstance(instance(request));
        response.setStatus(status);
        Duration retryAfter = retryAfter(HttpStatusCode.valueOf(status), refused);
        if (retryAfter != null) {
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds(retryAfter)));
        }
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }

    private static ProblemDetail problem(HttpStatusCode status, Refusal reason, String detail, String field) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(reason == Refusal.OTHER && status instanceof HttpStatus known
                ? known.getReasonPhrase() : reason.title());
        problem.setType(URI.create(TYPE_PREFIX + reason.slug()));
        if (field != null) {
            problem.setProperty("field", field);
        }
        return problem;
    }

    private static URI instance(HttpServletRequest request) {
        try {
            return URI.create(request.getRequestURI());
        } catch (IllegalArgumentException notAUri) {
            return null;
        }
    }

    private static Duration retryAfter(HttpStatusCode status, RefusedException refused) {
        if (refused.retryAfter() != null) {
            return refused.retryAfter();
        }
        return status.value() == HttpStatus.CONFLICT.value() ? CONFLICT_RETRY_AFTER : null;
    }

    private static long retryAfterSeconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }
}
