package io.convtrail.query.stream;

import io.convtrail.api.stream.StreamEnvelope;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.util.MimeType;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The body of a STOMP MESSAGE frame for one envelope, as the broker's message converter writes it
 * (the same bytes and {@code content-type} a {@code convertAndSend} gives), built once per event and
 * shared by every STOMP subscription of its conversation, as {@link SseFrames} does for SSE (here
 * under a lock, so the subscriptions' senders, which reach a new event together, encode it once). The last
 * encodings are kept by the identity of their envelope, a slot per hash, the newest wins; an event
 * read from history (one subscription's catch-up) simply misses and is encoded for that one alone.
 */
final class StompPayloads {

    private static final int SLOTS = 1024;

    private final MessageConverter converter;
    private final AtomicReferenceArray<Encoded> recent = new AtomicReferenceArray<>(SLOTS);

    StompPayloads(MessageConverter converter) {
        this.converter = converter;
    }

    Encoded of(StreamEnvelope envelope) {
        int slot = System.identityHashCode(envelope) & (SLOTS - 1);
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
            return encode(envelope, slot);
        }
    }

    private Encoded encode(StreamEnvelope envelope, int slot) {
        Message<?> message = converter.toMessage(envelope, null);
        if (message == null || !(message.getPayload() instanceof byte[] bytes)) {
            throw new IllegalStateException("the STOMP message converter cannot write a stream envelope");
        }
        Object contentType = message.getHeaders().get(MessageHeaders.CONTENT_TYPE);
        Encoded fresh = new Encoded(envelope, bytes, contentType instanceof MimeType mime ? mime
                : contentType != null ? MimeType.valueOf(contentType.toString()) : null);
        recent.set(slot, fresh);
        return fresh;
    }

    /** {@code bytes} are shared: nobody writes into them. */
    record Encoded(StreamEnvelope envelope, byte[] bytes, MimeType contentType) {
    }
}
