package io.convtrail.query.stream;

import io.convtrail.api.stream.StreamEvent;
import io.convtrail.api.stream.StreamKind;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
    /** Held frames are sent once they reach this size, so a long catch-up streams out as it is read. */
    static final int FLUSH_AT = 16 * 1024;

    private final SseEmitter emitter;
    private final SseFrames frames;
    private final UUID conversationId;
    private final boolean unnamed;
    private final boolean turns;
    /** Frames written since the last flush; empty between sender runs, so an idle stream holds none. */
    private final List<byte[]> held = new ArrayList<>(0);
    private int heldBytes;

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
     * held until {@link #flush}, so the events the sender finds waiting together (a commit brings a
     * turn's events at once) leave in one write and one flush instead of one each. A boundary repeats
     * the id of the record it follows, so it never moves the client's Last-Event-ID.
     */
    @Override
    public synchronized void event(StreamEvent event) throws IOException {
        if (event.envelope().eventType() == StreamKind.TURN && !turns) {
            return;
        }
        byte[] frame = frames.frame(event, !unnamed);
        held.add(frame);
        heldBytes += frame.length;
        if (heldBytes >= FLUSH_AT) {
            flush();
        }
    }

    /** Sends the held frames: the one frame as it is (shared with the other subscribers), several joined. */
    @Override
    public synchronized void flush() throws IOException {
        if (held.isEmpty()) {
            return;
        }
        byte[] out;
        if (held.size() == 1) {
            out = held.get(0);
        } else {
            out = new byte[heldBytes];
            int at = 0;
            for (byte[] frame : held) {
                System.arraycopy(frame, 0, out, at, frame.length);
                at += frame.length;
            }
        }
        held.clear();
        heldBytes = 0;
        emitter.send(Set.of(new ResponseBodyEmitter.DataWithMediaType(out, FRAME)));
    }

    @Override
    public synchronized void heartbeat() throws IOException {
        flush();
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
    public synchronized void closed(CloseReason reason, long lastSent) {
        if (reason == CloseReason.CLIENT_GONE) {
            return;
        }
        try {
            flush();
        } catch (IOException | IllegalStateException gone) {
            // the client left or the response ended meanwhile: it resumes from the last id it has
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
