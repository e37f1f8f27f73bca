package io.convtrail.app.tracing;

import io.micrometer.observation.ObservationRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.http.server.observation.ServerRequestObservationConvention;
import org.springframework.web.filter.ServerHttpObservationFilter;

import java.io.IOException;

/**
 * Spring's HTTP server observation, ended when an event stream is established instead of when it
 * closes. Spring keeps an asynchronous request's observation (its span, timer sample and active-request
 * sample, about 3 KB) open until the response ends, which for an SSE stream is its whole life of up
 * to the emitter timeout; the request's span and timer then said nothing until then, and every open
 * stream held them. Here a request whose handler started an {@code text/event-stream} response is
 * observed as answered once its handler returns, with the status it had then; open streams are counted
 * by {@code convtrail.stream.subscribers}. Every other request, asynchronous ones included, is observed
 * as Spring does it.
 */
final class StreamObservationFilter extends ServerHttpObservationFilter {

    StreamObservationFilter(ObservationRegistry registry, ServerRequestObservationConvention convention) {
        super(registry, convention);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (isAsyncDispatch(request)) {
            super.doFilterInternal(request, response, chain);
            return;
        }
        // only this filter sees the view; the chain gets the request itself
        ObservedRequest observed = new ObservedRequest(request);
        super.doFilterInternal(observed, response, (req, res) -> {
            chain.doFilter(request, res);
            observed.streamEstablished = request.isAsyncStarted() && isEventStream((HttpServletResponse) res);
        });
    }

    private static boolean isEventStream(HttpServletResponse response) {
        String type = response.getContentType();
        return type != null && type.regionMatches(true, 0, MediaType.TEXT_EVENT_STREAM_VALUE, 0,
                MediaType.TEXT_EVENT_STREAM_VALUE.length());
    }

    /** The request as the observation filter sees it: an established stream counts as answered. */
    private static final class ObservedRequest extends HttpServletRequestWrapper {

        private boolean streamEstablished;

        ObservedRequest(HttpServletRequest request) {
            super(request);
        }

        @Override
        public boolean isAsyncStarted() {
            return !streamEstablished && super.isAsyncStarted();
        }
    }
}
