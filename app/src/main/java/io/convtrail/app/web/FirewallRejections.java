package io.convtrail.app.web;

import io.convtrail.api.refusal.Refusal;
import io.convtrail.api.refusal.RefusedException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.stereotype.Component;

import java.io.IOException;

/**
 * Requests Spring Security's firewall refuses (a parameter name with a space, an encoded slash, a
 * control character in a header...) are bad input like any other: 400 problem+json through the one
 * problem factory. Without this handler the firewall's exception escapes the filter chain as a 500
 * with a stack trace in the log. Spring Security picks the bean up by type; checks the firewall makes
 * later, when a handler reads the parameters, reach {@link ProblemDetailsAdvice} instead.
 */
@Component
class FirewallRejections implements RequestRejectedHandler {

    private static final int DRAIN_LIMIT = 64 * 1024;

    private final ProblemFactory problems;

    FirewallRejections(ProblemFactory problems) {
        this.problems = problems;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response,
                       RequestRejectedException rejected) throws IOException {
        drain(request);
        problems.write(refusal(), request, response);
    }

    /**
     * Reads what the client sent of a small body first: Tomcat closes the connection after a 400, and
     * closing it with unread request bytes resets it, so the client may lose the answer. A longer body
     * is over the body limit anyway; the client gets the answer or a reset, as for a 413.
     */
    private static void drain(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > 0 && request.getContentLengthLong() <= DRAIN_LIMIT) {
            request.getInputStream().readNBytes(DRAIN_LIMIT);
        }
    }

    /**
     * Also for the firewall's checks that run late, when a handler first reads the parameters. The
     * firewall's own message quotes the offending input; the client knows what it sent.
     */
    static RefusedException refusal() {
        return new RefusedException(Refusal.INVALID_REQUEST, "The request's path, parameters or headers"
                + " hold characters or sequences the service does not accept.");
    }
}
