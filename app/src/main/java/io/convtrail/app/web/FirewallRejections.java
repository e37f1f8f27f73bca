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

    private final ProblemFactory problems;

    FirewallRejections(ProblemFactory problems) {
        this.problems = problems;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response,
                       RequestRejectedException rejected) throws IOException {
        SmallBodies.drain(request);
        problems.write(refusal(), request, response);
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
