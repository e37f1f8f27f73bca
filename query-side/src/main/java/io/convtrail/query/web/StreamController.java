package io.convtrail.query.web;

import io.convtrail.query.stream.SseStreams;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

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
public class StreamController {

    private final SseStreams streams;

    public StreamController(SseStreams streams) {
        this.streams = streams;
    }

    // no 'produces': a rejected request is answered as problem+json whatever the client accepts
    @GetMapping("/{conversationId}")
    public ResponseEntity<SseEmitter> stream(@PathVariable String conversationId,
                                             @RequestHeader(name = "Last-Event-ID", required = false) String lastEventIdHeader,
                                             @RequestParam(required = false) String lastEventId,
                                             @RequestParam(defaultValue = "false") boolean replay,
                                             @RequestParam(defaultValue = "false") boolean unnamed) {
        UUID id = QueryParameters.uuid("conversationId", conversationId);
        Long resumeAfter = null;
        if (lastEventIdHeader != null && !lastEventIdHeader.isBlank()) {
            resumeAfter = position("Last-Event-ID", lastEventIdHeader);
        } else if (lastEventId != null) {
            resumeAfter = position("lastEventId", lastEventId);
        } else if (replay) {
            resumeAfter = 0L;
        }
        return ResponseEntity.ok()
                .contentType(MediaType.TEXT_EVENT_STREAM)
                .cacheControl(CacheControl.noStore())
                .header("X-Accel-Buffering", "no")
                .body(streams.open(id, resumeAfter, unnamed));
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
