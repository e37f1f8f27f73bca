package io.convtrail.query.stream;

import io.convtrail.api.stream.StreamEnvelope;
import io.convtrail.api.stream.StreamEvent;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.simp.stomp.StompCommand;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The MESSAGE frame of one event, STOMP-encoded once for every subscription of its conversation, as
 * {@link SseFrames} does for SSE (here under a lock, so the subscriptions' senders, which reach a new
 * event together, encode it once). Only the {@code subscription} and {@code message-id} headers differ
 * between sessions: the frame is kept as the bytes before them ({@code head}: the command and the
 * {@code sequence}, {@code destination} and {@code content-type} headers) and after them
 * ({@code tail}: {@code content-length}, the blank line, the body as the broker's message converter
 * writes it, NUL), and each session's {@link StompSink} writes its own headers between the two. The
 * bytes are what Spring's {@code StompEncoder} writes for the same headers, in its order. The last
 * encodings are kept by the identity of their envelope, in a slot chosen by conversation and sequence (so a
 * conversation's last 1,024 events never share one), the newest wins; an event read from history (one
 * subscription's catch-up) simply misses and is encoded for that one alone.
 */
final class StompPayloads {

    private static final int SLOTS = 1024;

    private final MessageConverter converter;
    private final AtomicReferenceArray<Encoded> recent = new AtomicReferenceArray<>(SLOTS);

    StompPayloads(MessageConverter converter) {
        this.converter = converter;
    }

    Encoded of(StreamEvent event) {
        StreamEnvelope envelope = event.envelope();
        // a conversation's events in flight have consecutive sequences: each its own slot (by identity hash, 5 events
        // in flight shared one now and then, and the senders of both encoded them again by turns)
        int slot = (int) (event.conversationId().hashCode() + event.sequence()) & (SLOTS - 1);
        Encoded kept = recent.get(slot);
        if (kept != null && kept.envelope == envelope) {
            return kept;
        }
        // the senders of one event's subscribers reach it together: one encodes, the others wait and reuse it
        synchronized (this) {
            kept = recent.get(slot);
            if (kept != null && kept.envelope == envelope) {
                return kept;
            }
            Encoded fresh = encode(event);
            recent.set(slot, fresh);
            return fresh;
        }
    }

    private Encoded encode(StreamEvent event) {
        Message<?> message = converter.toMessage(event.envelope(), null);
        if (message == null || !(message.getPayload() instanceof byte[] body)) {
            throw new IllegalStateException("the STOMP message converter cannot write a stream envelope");
        }
        Object contentType = message.getHeaders().get(MessageHeaders.CONTENT_TYPE);
        ByteArrayOutputStream head = new ByteArrayOutputStream(128);
        head.writeBytes((StompCommand.MESSAGE.name() + "\n").getBytes(StandardCharsets.UTF_8));
        header(head, StompSink.SEQUENCE_HEADER, Long.toString(event.sequence()));
        header(head, "destination", destination(event.conversationId()));
        if (contentType != null) {
            header(head, "content-type", contentType.toString());
        }
        ByteArrayOutputStream tail = new ByteArrayOutputStream(body.length + 24);
        header(tail, "content-length", Integer.toString(body.length));
        tail.write('\n');
        tail.writeBytes(body);
        tail.write(0);
        return new Encoded(event.envelope(), head.toByteArray(), tail.toByteArray());
    }

    static String destination(UUID conversationId) {
        return StompSink.TOPIC_PREFIX + conversationId;
    }

    /** {@code name:value\n}, the value escaped as STOMP 1.2 asks of every frame but CONNECT/CONNECTED. */
    static void header(ByteArrayOutputStream out, String name, String value) {
        out.writeBytes(name.getBytes(StandardCharsets.UTF_8));
        out.write(':');
        out.writeBytes(escape(value).getBytes(StandardCharsets.UTF_8));
        out.write('\n');
    }

    static String escape(String value) {
        StringBuilder escaped = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            String replacement = switch (c) {
                case '\\' -> "\\\\";
                case ':' -> "\\c";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                default -> null;
            };
            if (replacement != null && escaped == null) {
                escaped = new StringBuilder(value.length() + 8).append(value, 0, i);
            }
            if (escaped != null) {
                if (replacement != null) {
                    escaped.append(replacement);
                } else {
                    escaped.append(c);
                }
            }
        }
        return escaped != null ? escaped.toString() : value;
    }

    /** The frame around the per-session headers; the arrays are shared: nobody writes into them. */
    record Encoded(StreamEnvelope envelope, byte[] head, byte[] tail) {

        int length() {
            return head.length + tail.length;
        }
    }
}
