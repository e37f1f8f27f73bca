package io.convtrail.query.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.convtrail.api.stream.StreamEnvelope;
import io.convtrail.api.stream.StreamEvent;
import org.springframework.stereotype.Component;

import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The bytes of one SSE event, {@code id:}, {@code event:} and {@code data:} lines and the blank
 * line, exactly as Spring's {@code SseEmitter} writes them with the web layer's JSON converter, but
 * built once per event and shared by every subscriber of its conversation. The hub hands the same
 * event object to the ten subscribers of a watched conversation; each used to serialise its envelope
 * to JSON and push three parts through the message converters. The last encodings are kept by the
 * identity of their envelope in a small table (a slot per hash, the newest wins), so the first
 * sender to reach an event encodes it and the others reuse its bytes; an event read from history
 * (one subscriber's own catch-up) simply misses and is encoded for that subscriber alone.
 */
@Component
public class SseFrames {

    /** Enough to span the events in flight to every watched conversation at once; each slot holds one event's bytes. */
    private static final int SLOTS = 1024;

    private final ObjectWriter json;
    private final AtomicReferenceArray<Encoded> recent = new AtomicReferenceArray<>(SLOTS);

    public SseFrames(ObjectMapper mapper) {
        this.json = mapper.writer();
    }

    /** The complete frame of {@code event}; {@code named}: with its {@code event:} line (the stage, VERBOSE or TURN). */
    public byte[] frame(StreamEvent event, boolean named) {
        Encoded encoded = encoded(event.envelope());
        return named ? encoded.named(event.sequence()) : encoded.unnamed(event.sequence());
    }

    private Encoded encoded(StreamEnvelope envelope) {
        int slot = System.identityHashCode(envelope) & (SLOTS - 1);
        Encoded kept = recent.get(slot);
        if (kept != null && kept.envelope == envelope) {
            return kept;
        }
        Encoded fresh = new Encoded(envelope, data(envelope));
        recent.set(slot, fresh);
        return fresh;
    }

    private byte[] data(StreamEnvelope envelope) {
        try {
            return json.writeValueAsBytes(envelope);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The SSE event name of an envelope: its stage, or its kind for VERBOSE and TURN. */
    static String name(StreamEnvelope envelope) {
        return switch (envelope.eventType()) {
            case AUDIT -> envelope.stage();
            case VERBOSE, TURN -> envelope.eventType().name();
        };
    }

    /** One envelope's JSON and, built on first use, its two framings; a frame's {@code id:} is the event's sequence. */
    private static final class Encoded {

        final StreamEnvelope envelope;
        final byte[] data;
        private volatile Frame named;
        private volatile Frame unnamed;

        Encoded(StreamEnvelope envelope, byte[] data) {
            this.envelope = envelope;
            this.data = data;
        }

        byte[] named(long sequence) {
            Frame frame = named;
            if (frame == null || frame.sequence != sequence) {
                frame = new Frame(sequence, build(sequence, name(envelope)));
                named = frame;
            }
            return frame.bytes;
        }

        byte[] unnamed(long sequence) {
            Frame frame = unnamed;
            if (frame == null || frame.sequence != sequence) {
                frame = new Frame(sequence, build(sequence, null));
                unnamed = frame;
            }
            return frame.bytes;
        }

        /** As {@code SseEmitter.event().id(..).name(..).data(envelope, JSON)}: {@code id:N\nevent:NAME\ndata:JSON\n\n}. */
        private byte[] build(long sequence, String name) {
            StringBuilder head = new StringBuilder(48).append("id:").append(sequence).append('\n');
            if (name != null) {
                head.append("event:").append(name).append('\n');
            }
            head.append("data:");
            byte[] prefix = head.toString().getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream frame = new ByteArrayOutputStream(prefix.length + data.length + 2);
            frame.writeBytes(prefix);
            frame.writeBytes(data);
            frame.write('\n');
            frame.write('\n');
            return frame.toByteArray();
        }
    }

    private record Frame(long sequence, byte[] bytes) {
    }
}
