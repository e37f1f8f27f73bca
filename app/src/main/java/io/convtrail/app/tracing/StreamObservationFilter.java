package io.convtrail.app.tracing;

import io.convtrail.query.web.StreamController;
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
 * sample, 1.5–3 KB) open until the response ends, which for an SSE stream is its whole life of up
 * to the emitter timeout; the request's span and timer then said nothing until then, and every open
 * stream held them. Here a request whose handler opened a stream
 * ({@link StreamController#STREAM_OPEN_ATTRIBUTE}: Spring writes the stream's headers only with its
 * first event, which may come later) or started a {@code text/event-stream} response is observed as
 * answered once its handler returns, with the status it had then, and the request lets go of the
 * observation; the dispatch that ends the stream is not observed again. Open streams are counted by
 * {@code convtrail.stream.subscribers}. Every other request, asynchronous ones included, is observed
 * as Spring does it.
 */
final class StreamObservationFilter extends ServerHttpObservationFilter {

    /** Where Spring's filter keeps the observation itself (beside its context), by its own naming. */
    private static final String OBSERVATION_ATTRIBUTE = ServerHttpObservationFilter.class.getName() + ".observation";
    private static final String STREAM_OBSERVED = StreamObservationFilter.class.getName() + ".streamObserved";

    StreamObservationFilter(ObservationRegistry registry, ServerRequestObservationConvention convention) {
        super(registry, convention);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (isAsyncDispatch(request)) {
            if (request.getAttribute(STREAM_OBSERVED) != null) {
                chain.doFilter(request, response);
            } else {
                super.doFilterInternal(request, response, chain);
            }
            return;
        }
        // only this filter sees the view; the chain gets the request itself
        ObservedRequest observed = new ObservedRequest(request);
        super.doFilterInternal(observed, response, (req, res) -> {
            chain.doFilter(request, res);
            observed.streamEstablished = request.isAsyncStarted()
                    && (request.getAttribute(StreamController.STREAM_OPEN_ATTRIBUTE) != null
                    || isEventStream((HttpServletResponse) res));
        });
        if (observed.streamEstablished) {
            request.removeAttribute(CURRENT_OBSERVATION_CONTEXT_ATTRIBUTE);
            request.removeAttribute(OBSERVATION_ATTRIBUTE);
            request.setAttribute(STREAM_OBSERVED, Boolean.TRUE);
        }
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
