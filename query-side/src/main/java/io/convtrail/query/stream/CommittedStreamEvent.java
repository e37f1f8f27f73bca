package io.convtrail.query.stream;

import io.convtrail.api.stream.StreamEnvelope;
import io.convtrail.api.stream.StreamEvent;
import io.convtrail.api.stream.StreamKind;

import java.util.UUID;
import java.util.function.Supplier;

/**
 * A stream event the audit projection has just committed: the update of
 * {@link io.convtrail.api.query.CommittedStreamEventsQuery}. Its envelope is built (stored content
 * opened, which decrypts it, and parsed) the first time someone asks for it, and once: the hub asks
 * only for a conversation with subscribers on this node, the broker relay for every event it
 * publishes; an event nobody here watches is never opened.
 */
public final class CommittedStreamEvent {

    private final UUID conversationId;
    private final long sequence;
    private final StreamKind kind;
    private Supplier<StreamEnvelope> envelope;
    private volatile StreamEvent opened;

    private CommittedStreamEvent(UUID conversationId, long sequence, StreamKind kind, Supplier<StreamEnvelope> envelope,
                                 StreamEvent opened) {
        this.conversationId = conversationId;
        this.sequence = sequence;
        this.kind = kind;
        this.envelope = envelope;
        this.opened = opened;
    }

    /** A record whose envelope {@code envelope} builds when it is first needed. */
    public static CommittedStreamEvent opening(UUID conversationId, long sequence, StreamKind kind,
                                               Supplier<StreamEnvelope> envelope) {
        return new CommittedStreamEvent(conversationId, sequence, kind, envelope, null);
    }

    /** An event built already (a turn boundary, which its repository returns as one). */
    public static CommittedStreamEvent of(StreamEvent event) {
        return new CommittedStreamEvent(event.conversationId(), event.sequence(), event.envelope().eventType(), null,
                event);
    }

    public UUID conversationId() {
        return conversationId;
    }

    public long sequence() {
        return sequence;
    }

    public StreamKind kind() {
        return kind;
    }

    /** The event with its envelope, built on the first call. */
    public StreamEvent event() {
        StreamEvent event = opened;
        if (event == null) {
            synchronized (this) {
                event = opened;
                if (event == null) {
                    event = new StreamEvent(conversationId, sequence, envelope.get());
                    opened = event;
                    envelope = null;
                }
            }
        }
        return event;
    }
}
