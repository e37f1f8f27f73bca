package io.convtrail.app.web;

import io.convtrail.app.database.ConnectionFailures;
import io.convtrail.api.refusal.Refusal;
import io.convtrail.api.refusal.RefusedException;
import io.convtrail.command.aggregate.TurnNotOpenException;
import jakarta.servlet.http.HttpServletRequest;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.time.Duration;

/**
 * The one advice that answers every failure of a handler as problem+json, through the one
 * {@link ProblemFactory}: the service's refusals ({@link RefusedException}, named by reason, never
 * by status), Spring's own request errors (unknown path, wrong method or media type, unreadable
 * body: the base class finds them, {@link #handleExceptionInternal} rewrites their bodies into the
 * same vocabulary), and the unexpected, which is the only thing logged with a stack trace.
 */
@RestControllerAdvice
public class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);
    static final Duration DATABASE_RETRY_AFTER = Duration.ofSeconds(5);

    private final ProblemFactory problems;
    private final RequestLimitProperties limits;

    public ProblemDetailsAdvice(ProblemFactory problems, RequestLimitProperties limits) {
        this.problems = problems;
        this.limits = limits;
    }

    @ExceptionHandler(RefusedException.class)
    ResponseEntity<ProblemDetail> refused(RefusedException e, HttpServletRequest request) {
        return problems.refuse(e, request);
    }

    @ExceptionHandler(TurnNotOpenException.class)
    ResponseEntity<ProblemDetail> turnClosed(TurnNotOpenException e, HttpServletRequest request) {
        return problems.refuse(new RefusedException(Refusal.TURN_NOT_OPEN,
                "The turn was closed (abandoned after its timeout) before it finished: " + e.getMessage()), request);
    }

    @ExceptionHandler(RequestRejectedException.class)
    ResponseEntity<ProblemDetail> rejectedByFirewall(RequestRejectedException e, HttpServletRequest request) {
        return problems.refuse(FirewallRejections.refusal(), request);
    }

    @ExceptionHandler(AggregateNotFoundException.class)
    ResponseEntity<ProblemDetail> unknownConversation(AggregateNotFoundException e, HttpServletRequest request) {
        return problems.refuse(new RefusedException(Refusal.UNKNOWN_CONVERSATION,
                "No conversation with id " + e.getAggregateIdentifier()), request);
    }

    /**
     * The unexpected. A refusal wrapped by a framework on its way here (a WebSocket handshake refused
     * for too many streams arrives as a HandshakeFailureException) is still a refusal.
     */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof RefusedException refused) {
                return problems.refuse(refused, request);
            }
        }
        Throwable outage = ConnectionFailures.find(e);
        if (outage != null) {
            // expected while PostgreSQL is down or restarting: one line, no stack trace, and a retryable answer
            log.warn("Database unavailable: {}", outage.toString());
            return problems.refuse(new RefusedException(Refusal.DATABASE_UNAVAILABLE, null,
                    "The database cannot be reached; nothing more of this request was recorded."
                            + " Retry in a few seconds.", DATABASE_RETRY_AFTER), request);
        }
        log.error("Unhandled error answering {} {}", request.getMethod(),
                RefusalLog.printable(request.getRequestURI(), 120), e);
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problems.internalError(request));
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
                                                             HttpStatusCode status, WebRequest request) {
        HttpServletRequest servlet = ((ServletWebRequest) request).getRequest();
        HttpHeaders answerHeaders = new HttpHeaders();
        answerHeaders.addAll(headers);
        answerHeaders.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (status.is5xxServerError()) {
            log.error("Request {} {} failed", servlet.getMethod(), RefusalLog.printable(servlet.getRequestURI(), 120), ex);
            return super.handleExceptionInternal(ex, problems.internalError(servlet), answerHeaders, status, request);
        }
        if (ex instanceof HttpMessageNotReadableException unreadable) {
            RefusedException refused = UnreadableBody.describe(unreadable, limits);
            ResponseEntity<ProblemDetail> answer = problems.refuse(refused, servlet);
            return super.handleExceptionInternal(ex, answer.getBody(), answerHeaders, answer.getStatusCode(), request);
        }
        String detail = body instanceof ProblemDetail given ? given.getDetail()
                : ex instanceof ErrorResponse spring ? spring.getBody().getDetail() : null;
        ProblemDetail problem = problems.refuse(status, ProblemFactory.reasonFor(status), detail, fieldOf(ex), servlet);
        return super.handleExceptionInternal(ex, problem, answerHeaders, status, request);
    }

    private static String fieldOf(Exception ex) {
        if (ex instanceof MethodArgumentTypeMismatchException mismatch) {
            return mismatch.getName();
        }
        if (ex instanceof MissingServletRequestParameterException missing) {
            return missing.getParameterName();
        }
        if (ex instanceof MissingRequestHeaderException missing) {
            return missing.getHeaderName();
        }
        return null;
    }
}
