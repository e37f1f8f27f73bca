package io.convtrail.app.tracing;

import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Answers every request with {@code X-Trace-Id}: the trace its handling ran in, which the log lines
 * and the events it recorded carry too. Runs inside Spring's HTTP observation, which starts the span
 * (continuing a {@code traceparent} the client sent, if any); set before the handler writes anything.
 */
class TraceIdHeaderFilter extends OncePerRequestFilter {

    static final String HEADER = "X-Trace-Id";

    private final Tracer tracer;

    TraceIdHeaderFilter(Tracer tracer) {
        this.tracer = tracer;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        TraceContext current = tracer.currentTraceContext().context();
        if (current != null) {
            response.setHeader(HEADER, current.traceId());
        }
        chain.doFilter(request, response);
    }
}
