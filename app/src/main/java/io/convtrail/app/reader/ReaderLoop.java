package io.convtrail.app.reader;

import io.convtrail.app.reader.HeldSegments.Held;
import io.convtrail.query.projection.ProjectionCommits;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.MergedTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The thread of one {@link DirectReader}: reads the stream once, from the lowest token of the segments
 * it holds ({@link HeldSegments}), routes each event to the held segment its sequence identifier hashes
 * into (as Axon's invoker would), and applies each batch with every held segment's token in one
 * transaction. A segment's token moves past every event the stream delivers, its own or not, so each
 * batch stores all of them; while no event comes, they are stored again every second, which renews
 * the claims.
 */
final class ReaderLoop {

    private static final Logger log = LoggerFactory.getLogger(ReaderLoop.class);
    /** How long the reader waits for an event before it renews its claims (a tracking processor: the same). */
    private static final long IDLE_MILLIS = 1000;
    private static final long MAX_ERROR_WAIT_MILLIS = 60_000;

    private final DirectReader reader;
    private final DirectReader.Settings settings;
    private final String name;
    private final Thread thread;
    private final HeldSegments held;
    private final Map<List<Class<?>>, Boolean> handledTypes = new HashMap<>();
    private volatile Map<Integer, EventTrackerStatus> status = Map.of();
    private volatile boolean stopping;
    private volatile boolean running;
    private BlockingStream<TrackedEventMessage<?>> stream;
    private long nextClaim = System.nanoTime();
    /** When the held tokens were last stored (by a batch, or renewed while idle). */
    private long lastStored = System.nanoTime();
    private long errorWait = 1000;
    private boolean initialized;
    private boolean caughtUp;
    private Throwable error;

    ReaderLoop(DirectReader reader) {
        this.reader = reader;
        this.settings = reader.settings();
        this.name = reader.getName();
        this.held = new HeldSegments(settings, name);
        this.thread = new Thread(this::run, "DirectReader[" + name + "]");
        this.thread.setDaemon(true);
    }

    void start() {
        running = true;
        thread.start();
    }

    /** Stops reading after the batch in hand and releases the claims; returns once the thread has ended. */
    void stop() {
        stopping = true;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean alive() {
        return thread.isAlive() && !stopping;
    }

    boolean running() {
        return running;
    }

    Map<Integer, EventTrackerStatus> status() {
        return status;
    }

    void release(int segment, long nanos) {
        held.release(segment, nanos);
        LockSupport.unpark(thread);
    }

    CompletableFuture<Boolean> merge(int segment) {
        CompletableFuture<Boolean> done = held.merge(segment);
        LockSupport.unpark(thread);
        return done;
    }

    private void run() {
        try {
            while (!stopping) {
                try {
                    step();
                    errorWait = 1000;
                    error = null;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                } catch (Exception | Error e) {
                    if (lostClaim(e)) {
                        // another node took a segment while this one stalled past the claim timeout: the table decides again
                        log.info("Reader {}: a claim was lost ({}); claiming again", name, e.toString());
                        closeStream();
                        held.forget();
                        publish();
                    } else {
                        failed(e);
                    }
                }
            }
        } finally {
            closeStream();
            held.releaseAll();
            held.refuseMerges();
            status = Map.of();
            running = false;
        }
    }

    private static boolean lostClaim(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnableToClaimTokenException) {
                return true;
            }
        }
        return false;
    }

    /** Rolled back: the batch is read and applied again from the committed tokens after a pause that doubles. */
    private void failed(Throwable e) {
        log.warn("Reader {}: batch failed, retrying in {} ms: {}", name, errorWait, e.toString());
        error = e;
        closeStream();
        publish();
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(errorWait));
        errorWait = Math.min(errorWait * 2, MAX_ERROR_WAIT_MILLIS);
    }

    private void step() throws Exception {
        if (!initialized) {
            // two nodes starting on a new database both try; the one that loses fails here and retries
            held.initialize();
            initialized = true;
        }
        boolean changed = held.serveReleases() | held.serveMerges();
        if (System.nanoTime() - nextClaim >= 0) {
            if (held.claim()) {
                // a new segment may stand behind the stream
                changed = true;
                caughtUp = false;
            }
            nextClaim = System.nanoTime() + settings.claimInterval().toNanos();
        }
        if (changed) {
            closeStream();
            publish();
        }
        if (held.isEmpty()) {
            LockSupport.parkNanos(Math.max(0, nextClaim - System.nanoTime()));
            return;
        }
        if (stream == null) {
            stream = settings.source().openStream(held.lowerBound());
        }
        long untilRenewal = IDLE_MILLIS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastStored);
        if (!stream.hasNextAvailable((int) Math.max(1, untilRenewal), TimeUnit.MILLISECONDS)) {
            caughtUp = true;
            // a stream may come back empty-handed before the wait ends (woken for an event it had read already)
            if (System.nanoTime() - lastStored >= TimeUnit.MILLISECONDS.toNanos(IDLE_MILLIS)) {
                held.renew();
                lastStored = System.nanoTime();
            }
            publish();
            return;
        }
        // batch-size per held segment, as a tracking processor's thread counts only its own segment's events:
        // the same rows per segment and batch, one commit for all of them
        int limit = settings.batchSize() * held.size();
        List<TrackedEventMessage<?>> batch = new ArrayList<>(Math.min(limit, 1024));
        do {
            batch.add(stream.nextAvailable());
        } while (batch.size() < limit && stream.hasNextAvailable());
        apply(batch);
        caughtUp = caughtUp || !stream.hasNextAvailable();
        publish();
    }

    /**
     * Applies a batch: each event advances every held segment's token (but those already past it: the stream
     * starts at the lowest of them) and goes to the handlers with the token of the segment that owns it. The
     * handlers' writes and every token commit in one transaction; the tokens in memory move only then.
     */
    private void apply(List<TrackedEventMessage<?>> batch) throws Exception {
        Held[] segments = held.all();
        int count = segments.length;
        TrackingToken[] next = new TrackingToken[count];
        for (int i = 0; i < count; i++) {
            next[i] = segments[i].token;
        }
        List<EventMessage<?>> handled = new ArrayList<>(batch.size());
        TrackingToken previous = null;
        for (TrackedEventMessage<?> event : batch) {
            TrackingToken at = event.trackingToken();
            int hash = hash(event);
            for (int i = 0; i < count; i++) {
                TrackingToken current = next[i];
                boolean seen;
                if (current != null && MergedTrackingToken.isMergeInProgress(current)) {
                    seen = HeldSegments.halfCovers(current, segments[i].segment, hash, at);
                } else if (current != null && current != previous && current.covers(at)) {
                    // a segment that took the previous event is in step with the stream: nothing to compare
                    continue;
                } else {
                    seen = false;
                }
                next[i] = current instanceof WrappedToken wrapped ? wrapped.advancedTo(at) : at;
                if (!seen && segments[i].segment.matches(hash)) {
                    if (handles(event)) {
                        handled.add(next[i] == at ? event : event.withTrackingToken(next[i]));
                    } else {
                        reader.ignored(event);
                    }
                }
            }
            previous = at;
        }
        commit(segments, next, handled);
        for (int i = 0; i < count; i++) {
            segments[i].token = next[i];
        }
        lastStored = System.nanoTime();
    }

    private void commit(Held[] segments, TrackingToken[] next, List<EventMessage<?>> handled) throws Exception {
        Map<Integer, TrackingToken> committed = new HashMap<>();
        for (int i = 0; i < segments.length; i++) {
            committed.put(segments[i].segment.getSegmentId(), next[i]);
        }
        ProjectionCommits commits = settings.commits();
        if (handled.isEmpty()) {
            settings.transactions().executeInTransaction(() -> held.store(segments, next));
            commits.committed(name, committed);
            return;
        }
        BatchingUnitOfWork<EventMessage<?>> unitOfWork = new BatchingUnitOfWork<>(handled);
        unitOfWork.attachTransaction(settings.transactions());
        ProjectionCommits.reportedByProcessor(unitOfWork);
        unitOfWork.onPrepareCommit(u -> held.store(segments, next));
        unitOfWork.afterCommit(u -> commits.committed(name, committed));
        reader.process(handled, unitOfWork);
    }

    private boolean handles(TrackedEventMessage<?> event) throws Exception {
        List<Class<?>> type = List.of(event.getPayloadType(), event.getClass());
        Boolean known = handledTypes.get(type);
        if (known == null) {
            known = reader.handles(event);
            handledTypes.put(type, known);
        }
        return known;
    }

    private int hash(EventMessage<?> event) {
        return Objects.hashCode(Objects.requireNonNullElse(settings.policy().getSequenceIdentifierFor(event),
                event.getIdentifier()));
    }

    private void publish() {
        status = held.status(caughtUp, error);
    }

    private void closeStream() {
        if (stream != null) {
            try {
                stream.close();
            } catch (RuntimeException e) {
                log.debug("Reader {}: closing its stream failed: {}", name, e.toString());
            }
            stream = null;
        }
    }
}
