package io.convtrail.query.stream;

import io.convtrail.api.stream.StreamEvent;
import io.convtrail.api.stream.StreamKind;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * One STOMP subscription's feed from the hub: each event as a MESSAGE frame to that session's
 * subscription, with the sequence as a {@code sequence} header, written on the subscription's own
 * sender thread. The frame is encoded once per event for every session ({@link StompPayloads}); this
 * sink adds its {@code subscription} and {@code message-id} headers, and each frame leaves as one
 * WebSocket message (or, with {@code convtrail.stream.stomp.join-frames-up-to} above 0, what one sender
 * run finds waiting — a commit brings a turn's events at once — as one message of several frames,
 * {@link EncodedStompFrames}), through the session's {@code ConcurrentWebSocketSessionDecorator} (see
 * {@link StompSessions}), which keeps the session's frames in order and bounds what a slow client may
 * hold back ({@code send-buffer-size-limit}, {@code send-time-limit}; past either it closes the
 * session). No broker, no outbound-channel executor and no per-frame STOMP encoding sit between the hub
 * and the socket: one hand-off per event (the hub's to this sender), as for SSE. A stuck socket blocks
 * this sender thread only.
 */
final class StompSink implements StreamSink {

    static final String TRANSPORT = "stomp";
    static final String TOPIC_PREFIX = "/topic/convengine/audit/";
    /** Each message's position: what a client sends back as {@code last-event-id} to resume after it. */
    static final String SEQUENCE_HEADER = "sequence";
    /** Numbers the sinks, so message ids stay unique in a session across its feeds and their restarts. */
    private static final AtomicLong SINKS = new AtomicLong();

    /** Where the encoded frames of a session go. */
    interface Sessions {
        void send(String sessionId, EncodedStompFrames frames) throws IOException;
    }

    private final Sessions sessions;
    private final StompPayloads payloads;
    /**
     * The most a message of joined frames holds (a longer frame goes alone); 0: one frame per message.
     * At most {@link StreamProperties.Stomp#MAX_JOINED_BYTES}, and a long catch-up streams out as it is read.
     */
    private final int joinUpTo;
    private final String sessionId;
    /** {@code subscription:<id>\nmessage-id:<session>-<sink>-}: the sequence and a newline complete it. */
    private final byte[] sessionHeaders;
    private final LongConsumer onOverflow;
    /** Frames found in this sender run; empty between runs, so an idle stream holds none. */
    private final List<StreamEvent> heldEvents = new ArrayList<>(0);
    private final List<StompPayloads.Encoded> held = new ArrayList<>(0);
    private int heldBytes;

    /** {@code onOverflow} gets the last sequence sent, so the feed can continue from there. */
    StompSink(Sessions sessions, StompPayloads payloads, int joinUpTo, String sessionId, String subscriptionId,
              LongConsumer onOverflow) {
        this.sessions = sessions;
        this.payloads = payloads;
        this.joinUpTo = joinUpTo;
        this.sessionId = sessionId;
        ByteArrayOutputStream headers = new ByteArrayOutputStream(64);
        StompPayloads.header(headers, "subscription", subscriptionId);
        // the value goes on with the frame's sequence (digits, nothing to escape)
        headers.writeBytes(("message-id:" + StompPayloads.escape(sessionId + "-" + SINKS.incrementAndGet() + "-"))
                .getBytes(StandardCharsets.UTF_8));
        this.sessionHeaders = headers.toByteArray();
        this.onOverflow = onOverflow;
    }

    @Override
    public String transport() {
        return TRANSPORT;
    }

    @Override
    public void connected(long position) {
        // the first MESSAGE follows; STOMP has no frame for "connected at"
    }

    @Override
    public void event(StreamEvent event) throws IOException {
        if (!carries(event)) {
            return;
        }
        StompPayloads.Encoded frame = payloads.of(event);
        int length = length(frame, event.sequence());
        if (heldBytes + length > joinUpTo) {
            flush();
        }
        heldEvents.add(event);
        held.add(frame);
        heldBytes += length;
    }

    /** Sends the held frames as one message: each is head, this session's headers, its sequence, tail. */
    @Override
    public void flush() throws IOException {
        if (held.isEmpty()) {
            return;
        }
        byte[] out = new byte[heldBytes];
        int[] ends = new int[held.size()];
        int at = 0;
        for (int i = 0; i < held.size(); i++) {
            StompPayloads.Encoded frame = held.get(i);
            at = put(frame.head(), out, at);
            at = put(sessionHeaders, out, at);
            long sequence = heldEvents.get(i).sequence();
            int end = at + digits(sequence);
            for (int digit = end - 1; digit >= at; digit--, sequence /= 10) {
                out[digit] = (byte) ('0' + sequence % 10);
            }
            out[end] = '\n';
            at = put(frame.tail(), out, end + 1);
            ends[i] = at;
        }
        held.clear();
        heldEvents.clear();
        heldBytes = 0;
        sessions.send(sessionId, new EncodedStompFrames(out, ends));
    }

    /** The frame's length with this session's headers. */
    private int length(StompPayloads.Encoded frame, long sequence) {
        return frame.length() + sessionHeaders.length + digits(sequence) + 1;
    }

    private static int put(byte[] part, byte[] out, int at) {
        System.arraycopy(part, 0, out, at, part.length);
        return at + part.length;
    }

    /** Decimal digits of a sequence (never negative). */
    private static int digits(long sequence) {
        int digits = 1;
        for (long rest = sequence / 10; rest > 0; rest /= 10) {
            digits++;
        }
        return digits;
    }

    /** STOMP bodies stay ConvEngine's, AUDIT and VERBOSE only: turn boundaries are an SSE opt-in. */
    static boolean carries(StreamEvent event) {
        return carries(event.envelope().eventType());
    }

    static boolean carries(StreamKind kind) {
        return kind != StreamKind.TURN;
    }

    @Override
    public void heartbeat() {
        // STOMP heart-beats are negotiated per connection
    }

    @Override
    public void closed(CloseReason reason, long lastSent) {
        if (reason == CloseReason.OVERFLOW) {
            onOverflow.accept(lastSent);
        }
    }
}
