package io.convtrail.query.stream;

import io.convtrail.api.stream.StreamEvent;
import io.convtrail.api.stream.StreamKind;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Writes a subscription as server-sent events: {@code CONNECTED} first, then each envelope named by
 * its stage ({@code VERBOSE} for verbose ones), or unnamed ({@code message}) when the client asked
 * for it. Every event carries its sequence as {@code id:}, so EventSource resumes by itself. Turn
 * boundaries (named {@code TURN}) are sent only when asked for.
 */
public final class SseSink implements StreamSink {

    public static final String TRANSPORT = "sse";
    public static final String CONNECTED = "CONNECTED";
    /** Reconnect delay asked of EventSource when the server ends the stream: about a restart's first seconds. */
    static final long RECONNECT_AFTER_MS = 2_000;
    /** A prepared frame is bytes, which the byte-array converter writes as they are. */
    private static final MediaType FRAME = MediaType.APPLICATION_OCTET_STREAM;

    private final SseEmitter emitter;
    private final SseFrames frames;
    private final UUID conversationId;
    private final boolean unnamed;
    private final boolean turns;

    /** {@code turns}: whether the client asked for turn boundaries (TURN envelopes), which ConvEngine clients never get. */
    public SseSink(SseEmitter emitter, SseFrames frames, UUID conversationId, boolean unnamed, boolean turns) {
        this.emitter = emitter;
        this.frames = frames;
        this.conversationId = conversationId;
        this.unnamed = unnamed;
        this.turns = turns;
    }

    @Override
    public String transport() {
        return TRANSPORT;
    }

    @Override
    public void connected(long position) throws IOException {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("conversationId", conversationId.toString());
        data.put("transport", "SSE");
        data.put("lastEventId", position);
        emitter.send(SseEmitter.event().name(CONNECTED).id(Long.toString(position))
                .data(data, MediaType.APPLICATION_JSON));
    }

    /**
     * The event's frame is built once for all subscribers of its conversation ({@link SseFrames}) and
     * written as one part; a boundary repeats the id of the record it follows, so it never moves the
     * client's Last-Event-ID.
     */
    @Override
    public void event(StreamEvent event) throws IOException {
        if (event.envelope().eventType() == StreamKind.TURN && !turns) {
            return;
        }
        emitter.send(Set.of(new ResponseBodyEmitter.DataWithMediaType(frames.frame(event, !unnamed), FRAME)));
    }

    @Override
    public void heartbeat() throws IOException {
        emitter.send(SseEmitter.event().comment("heartbeat"));
    }

    /**
     * Ends the response when the server drops the subscriber. When the server stops or cannot serve
     * the stream, the last frame re-states the resume position ({@code id:}, without data, so no
     * listener fires and the envelope contract is untouched) and asks EventSource to reconnect after
     * {@link #RECONNECT_AFTER_MS}; it then resumes with that Last-Event-ID. A client that is gone is
     * left to the container, which is already ending the request (completing it as well races that
     * error path).
     */
    @Override
    public void closed(CloseReason reason, long lastSent) {
        if (reason == CloseReason.CLIENT_GONE) {
            return;
        }
        if ((reason == CloseReason.SHUTDOWN || reason == CloseReason.FAILED) && lastSent >= 0) {
            try {
                emitter.send(SseEmitter.event().id(Long.toString(lastSent)).reconnectTime(RECONNECT_AFTER_MS));
            } catch (IOException | IllegalStateException gone) {
                // the client left or the response ended meanwhile: it resumes from the last id it has
            }
        }
        try {
            emitter.complete();
        } catch (IllegalStateException alreadyEnded) {
            // completed meanwhile (timeout): nothing left to end
        }
    }
}
