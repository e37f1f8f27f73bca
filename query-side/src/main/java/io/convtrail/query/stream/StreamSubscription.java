package io.convtrail.query.stream;

import io.convtrail.api.stream.StreamEvent;
import io.convtrail.api.stream.StreamKind;
import io.convtrail.query.stream.StreamSink.CloseReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One subscriber of one conversation. Live events are queued (bounded) by the projecting thread and
 * written by one sender task at a time, so a slow client fills only its own queue; when the queue is
 * full the subscriber is dropped and resumes later from its last id.
 * <p>
 * The gap-free hand-over: the subscription is already receiving live events when its first sender
 * run reads the history after the resume point, so every event is either in that history or in the
 * queue (or both). Whatever was already sent is skipped by sequence, and a live event that is ahead
 * of the last one sent is preceded by the missing ones from the read model. Turn boundaries ride
 * along in their place (after the record of their sequence); they never move the resume position. A wake-up
 * (an event projected on another node, see {@link StreamNotifications}) carries no event: it asks the sender
 * to read the read model up to a sequence, through the same catch-up, so it cannot open a gap either.
 */
public final class StreamSubscription {

    private static final Logger log = LoggerFactory.getLogger(StreamSubscription.class);
    static final int HISTORY_PAGE = 500;

    private final UUID conversationId;
    private final Long resumeAfter;
    private final StreamSink sink;
    private final StreamHistory history;
    private final Executor sender;
    private final Consumer<StreamSubscription> onClose;
    /**
     * Events waiting for the sender, at most {@code buffer}. A linked queue, not an array of
     * {@code buffer} slots: an idle stream, the usual one, then holds no slots at all.
     */
    private final Queue<StreamEvent> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final int buffer;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean heartbeatDue = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The highest sequence a wake-up asked for and the sender has not read yet; -1: none. */
    private final AtomicLong wokenUpTo = new AtomicLong(-1);
    private boolean started;
    private volatile long lastSent = -1;
    private long lastBoundary = -1;

    StreamSubscription(UUID conversationId, Long resumeAfter, StreamSink sink, StreamHistory history,
                       Executor sender, int buffer, Consumer<StreamSubscription> onClose) {
        this.conversationId = conversationId;
        this.resumeAfter = resumeAfter;
        this.sink = sink;
        this.history = history;
        this.sender = sender;
        this.onClose = onClose;
        this.buffer = buffer;
    }

    public UUID conversationId() {
        return conversationId;
    }

    public String transport() {
        return sink.transport();
    }

    /** Called on the projecting thread: never blocks. */
    void offer(StreamEvent event) {
        if (closed.get()) {
            return;
        }
        if (waiting.incrementAndGet() > buffer) {
            waiting.decrementAndGet();
            log.info("Stream subscriber of {} fell {} events behind; disconnecting it", conversationId, buffer);
            close(CloseReason.OVERFLOW);
            return;
        }
        pending.add(event);
        schedule();
    }

    /**
     * The read model holds the conversation's events up to {@code sequence} (committed on any node):
     * the sender reads what it has not sent yet. Never blocks.
     */
    void wake(long sequence) {
        if (closed.get()) {
            return;
        }
        wokenUpTo.accumulateAndGet(sequence, Math::max);
        schedule();
    }

    /** Asks for a keep-alive write; it is done by the sender, after any queued events. */
    public void heartbeat() {
        heartbeatDue.set(true);
        schedule();
    }

    public void close(CloseReason reason) {
        if (closed.compareAndSet(false, true)) {
            pending.clear();
            waiting.set(0);
            onClose.accept(this);
            // the sink may block (a stuck client); never on the caller's thread
            sender.execute(() -> sink.closed(reason, lastSent));
        }
    }

    /** Schedules the first sender run: CONNECTED, then the history, then the queue. */
    void start() {
        schedule();
    }

    private void schedule() {
        if (!closed.get() && scheduled.compareAndSet(false, true)) {
            sender.execute(this::send);
        }
    }

    private void send() {
        try {
            if (!started) {
                started = true;
                lastSent = resumeAfter != null ? resumeAfter : history.head(conversationId);
                sink.connected(lastSent);
                catchUp(Long.MAX_VALUE);
            }
            StreamEvent event;
            while (!closed.get() && (event = pending.poll()) != null) {
                waiting.decrementAndGet();
                deliver(event);
            }
            long woken = wokenUpTo.getAndSet(-1);
            if (!closed.get() && woken > lastSent) {
                catchUp(woken);
            }
            if (!closed.get() && heartbeatDue.getAndSet(false)) {
                sink.heartbeat();
            }
            if (!closed.get()) {
                sink.flush();
            }
        } catch (IOException e) {
            log.debug("Stream subscriber of {} is gone: {}", conversationId, e.toString());
            close(CloseReason.CLIENT_GONE);
        } catch (RuntimeException e) {
            // e.g. the read model could not be read: end the stream, the client resumes from its last id
            log.warn("Stream of {} failed; disconnecting its subscriber: {}", conversationId, e.toString());
            close(CloseReason.FAILED);
        } finally {
            scheduled.set(false);
            if (!pending.isEmpty() || heartbeatDue.get() || wokenUpTo.get() > lastSent) {
                schedule();
            }
        }
    }

    private void deliver(StreamEvent event) throws IOException {
        boolean boundary = isBoundary(event);
        if (alreadySent(event)) {
            return;
        }
        // a boundary follows the record of its sequence; a record follows every earlier one
        long before = boundary ? event.sequence() : event.sequence() - 1;
        if (before > lastSent) {
            // every earlier event of the conversation is committed before this one is emitted
            catchUp(before);
        }
        if (!alreadySent(event)) {
            write(event);
        }
    }

    private void catchUp(long upTo) throws IOException {
        while (!closed.get()) {
            List<StreamEvent> page = history.after(conversationId, lastSent, HISTORY_PAGE);
            int records = 0;
            for (StreamEvent event : page) {
                if (event.sequence() > upTo || closed.get()) {
                    return;
                }
                if (!isBoundary(event)) {
                    records++;
                }
                if (!alreadySent(event)) {
                    write(event);
                }
            }
            if (records < HISTORY_PAGE) {
                return;
            }
        }
    }

    /**
     * Records are ordered by sequence; turn boundaries (which follow the record of their sequence) by
     * their auditId, the turn event's global index, so a boundary read again from history is skipped.
     */
    private boolean alreadySent(StreamEvent event) {
        if (isBoundary(event)) {
            return event.sequence() < lastSent || event.envelope().auditId() <= lastBoundary;
        }
        return event.sequence() <= lastSent;
    }

    private static boolean isBoundary(StreamEvent event) {
        return event.envelope().eventType() == StreamKind.TURN;
    }

    private void write(StreamEvent event) throws IOException {
        sink.event(event);
        if (isBoundary(event)) {
            lastBoundary = event.envelope().auditId();
        } else {
            lastSent = event.sequence();
        }
    }
}
