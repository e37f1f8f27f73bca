package io.convtrail.query.web;

import io.convtrail.api.refusal.Refusal;
import io.convtrail.api.refusal.RefusedException;
import io.convtrail.query.stream.ClientStreamSlots;
import io.convtrail.query.stream.SseStreams;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import jakarta.servlet.http.HttpServletRequest;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * ConvEngine's SSE stream, resumable. Where it starts: after the {@code Last-Event-ID} header
 * (sent by EventSource when it reconnects), else after the {@code lastEventId} parameter, else
 * from the first event with {@code replay=true}, else from now on. The header wins so that an
 * EventSource opened with {@code replay=true} or {@code lastEventId} resumes, not restarts, when
 * it reconnects.
 */
@RestController
@RequestMapping("/api/v1/conversation/stream")
@Tag(name = "streams", description = "live audit and verbose events (the full contract is the AsyncAPI document at /asyncapi.yaml)")
public class StreamController {

    /**
     * Request attribute (an {@link Instant}) set by the security layer: when the caller's access token
     * expires, and so when its stream ends.
     */
    public static final String STREAM_END_ATTRIBUTE = "io.convtrail.stream.endAt";

    /**
     * Request attribute set once the stream is open: the request's handler has returned, the response
     * continues for the stream's life (the HTTP observation ends here, not when the stream closes).
     */
    public static final String STREAM_OPEN_ATTRIBUTE = "io.convtrail.stream.open";

    private final SseStreams streams;
    private final ClientStreamSlots slots;

    public StreamController(SseStreams streams, ClientStreamSlots slots) {
        this.streams = streams;
        this.slots = slots;
    }

    @Operation(summary = "Server-sent events of a conversation",
            description = "CONNECTED first, then every AUDIT envelope as an event named by its stage and every VERBOSE "
                    + "envelope as an event named VERBOSE, each with id = the conversation's sequence; a heartbeat "
                    + "comment every 15 s. Envelopes and channels: /asyncapi.yaml.")
    @ApiResponse(responseCode = "200", description = "the event stream",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
                    schema = @Schema(type = "string", description = "text/event-stream")))
    @ApiResponse(responseCode = "400", description = "conversationId is not a UUID, or the resume position is invalid")
    @ApiResponse(responseCode = "429", description = "this client holds as many open streams as it may")
    // no 'produces': a rejected request is answered as problem+json whatever the client accepts
    @GetMapping("/{conversationId}")
    public ResponseEntity<SseEmitter> stream(
            @Parameter(description = "the conversation's UUID") @PathVariable String conversationId,
            @Parameter(in = ParameterIn.HEADER, description = "resume after this sequence (sent by EventSource on reconnect)")
            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventIdHeader,
            @Parameter(description = "resume after this sequence, for clients that cannot set headers")
            @RequestParam(required = false) String lastEventId,
            @Parameter(description = "stream the whole conversation from its first event, then continue live")
            @RequestParam(defaultValue = "false") boolean replay,
            @Parameter(description = "send every envelope as an unnamed (message) event, for onmessage")
            @RequestParam(defaultValue = "false") boolean unnamed,
            @Parameter(description = "also send turn boundaries (events named TURN, eventType TURN: each turn's "
                    + "start and end), for clients that group records into turns; ConvEngine clients leave it off")
            @RequestParam(defaultValue = "false") boolean turns,
            @Parameter(hidden = true) @RequestAttribute(name = STREAM_END_ATTRIBUTE, required = false) Instant endAt,
            HttpServletRequest request) {
        UUID id = QueryParameters.uuid("conversationId", conversationId);
        Long resumeAfter = null;
        if (lastEventIdHeader != null && !lastEventIdHeader.isBlank()) {
            resumeAfter = position("Last-Event-ID", lastEventIdHeader);
        } else if (lastEventId != null) {
            resumeAfter = position("lastEventId", lastEventId);
        } else if (replay) {
            resumeAfter = 0L;
        }
        ClientStreamSlots.Slot slot = slots.tryAcquire(request.getRemoteAddr()).orElseThrow(() ->
                new RefusedException(Refusal.TOO_MANY_STREAMS, null, "This client holds " + slots.maxPerClient()
                        + " open streams, as many as it may; close one first.", Duration.ofSeconds(1)));
        SseEmitter emitter = streams.open(id, resumeAfter, unnamed, turns, endAt, slot);
        request.setAttribute(STREAM_OPEN_ATTRIBUTE, Boolean.TRUE);
        return streamHeaders().body(emitter);
    }

    /**
     * HEAD answers the stream's headers at once and opens nothing. Spring would otherwise run the GET
     * handler for it, and the stream it opened would wait, with its socket and subscription, for a
     * body nobody reads until the emitter timed out.
     */
    @Operation(summary = "Headers of the stream, without opening it")
    @ApiResponse(responseCode = "200", description = "the stream's headers, no body")
    @RequestMapping(path = "/{conversationId}", method = RequestMethod.HEAD)
    public ResponseEntity<Void> head(@Parameter(description = "the conversation's UUID") @PathVariable String conversationId) {
        QueryParameters.uuid("conversationId", conversationId);
        return streamHeaders().build();
    }

    private static ResponseEntity.BodyBuilder streamHeaders() {
        return ResponseEntity.ok()
                .contentType(MediaType.TEXT_EVENT_STREAM)
                .cacheControl(CacheControl.noStore())
                .header("X-Accel-Buffering", "no");
    }

    private static long position(String name, String text) {
        try {
            long position = Long.parseLong(text.trim());
            if (position >= 0) {
                return position;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw QueryParameters.invalid(name, "must be a stream position (a non-negative integer)");
    }
}
