package io.convtrail.app.reader;

import io.convtrail.query.projection.ProjectionCommits;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.MergedTrackingToken;
import org.axonframework.eventhandling.Segment;
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
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The thread of one {@link DirectReader}: claims segments, reads the stream once from the lowest of
 * their tokens, routes each event to the held segment its sequence identifier hashes into (as Axon's
 * invoker would), and applies each batch with every held segment's token in one transaction. A
 * segment's token moves past every event the stream delivers, its own or not, so each batch stores
 * all of them. Releases and merges asked by other threads are served between batches, here, so the
 * held segments only ever change on this thread.
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
    private final TreeMap<Integer, Held> held = new TreeMap<>();
    private final Map<Integer, Long> releasedUntil = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Merge> merges = new ConcurrentLinkedQueue<>();
    private final Map<List<Class<?>>, Boolean> handledTypes = new HashMap<>();
    private volatile Map<Integer, EventTrackerStatus> status = Map.of();
    private volatile boolean stopping;
    private volatile boolean running;
    private BlockingStream<TrackedEventMessage<?>> stream;
    private long nextClaim = System.nanoTime();
    private long errorWait = 1000;
    private boolean caughtUp;
    private Throwable error;

    /** A held segment and the token its last committed batch stored. */
    private static final class Held {
        private Segment segment;
        private TrackingToken token;

        private Held(Segment segment, TrackingToken token) {
            this.segment = segment;
            this.token = token;
        }
    }

    private record Merge(int segment, CompletableFuture<Boolean> done) {
    }

    ReaderLoop(DirectReader reader) {
        this.reader = reader;
        this.settings = reader.settings();
        this.name = reader.getName();
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
        releasedUntil.put(segment, System.nanoTime() + nanos);
        LockSupport.unpark(thread);
    }

    CompletableFuture<Boolean> merge(int segment) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        merges.add(new Merge(segment, done));
        LockSupport.unpark(thread);
        return done;
    }

    private void run() {
        try {
            initializeSegments();
            while (!stopping) {
                try {
                    step();
                    errorWait = 1000;
                    error = null;
                } catch (UnableToClaimTokenException lost) {
                    // another node took a segment while this one stalled past the claim timeout: start over from the store
                    log.info("Reader {}: a claim was lost ({}); claiming again", name, lost.getMessage());
                    closeStream();
                    held.clear();
                    publish();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                } catch (Exception | Error e) {
                    failed(e);
                }
            }
        } finally {
            closeStream();
            releaseAll();
            status = Map.of();
            running = false;
            merges.forEach(merge -> merge.done().complete(false));
        }
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

    private void initializeSegments() {
        settings.transactions().executeInTransaction(() -> {
            if (settings.tokenStore().fetchSegments(name).length == 0) {
                settings.tokenStore().initializeTokenSegments(name, settings.initialSegments(),
                        settings.source().createTailToken());
            }
        });
    }

    private void step() throws Exception {
        serveReleases();
        serveMerges();
        if (System.nanoTime() - nextClaim >= 0) {
            claim();
            nextClaim = System.nanoTime() + settings.claimInterval().toNanos();
        }
        if (held.isEmpty()) {
            LockSupport.parkNanos(Math.max(0, nextClaim - System.nanoTime()));
            return;
        }
        if (stream == null) {
            stream = settings.source().openStream(lowerBound());
        }
        if (!stream.hasNextAvailable((int) IDLE_MILLIS, TimeUnit.MILLISECONDS)) {
            caughtUp = true;
            renew();
            return;
        }
        List<TrackedEventMessage<?>> batch = new ArrayList<>(settings.batchSize());
        do {
            batch.add(stream.nextAvailable());
        } while (batch.size() < settings.batchSize() && stream.hasNextAvailable());
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
        int count = held.size();
        Held[] segments = held.values().toArray(Held[]::new);
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
                if (MergedTrackingToken.isMergeInProgress(current)) {
                    seen = halfCovers(current, segments[i].segment, hash, at);
                } else {
                    // a segment that took the previous event is in step with the stream: nothing to compare
                    seen = current != null && current != previous && current.covers(at);
                    if (seen) {
                        continue;
                    }
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
    }

    private void commit(Held[] segments, TrackingToken[] next, List<EventMessage<?>> handled) throws Exception {
        Map<Integer, TrackingToken> committed = new HashMap<>();
        for (int i = 0; i < segments.length; i++) {
            committed.put(segments[i].segment.getSegmentId(), next[i]);
        }
        ProjectionCommits commits = settings.commits();
        if (handled.isEmpty()) {
            settings.transactions().executeInTransaction(() -> store(segments, next));
            commits.committed(name, committed);
            return;
        }
        BatchingUnitOfWork<EventMessage<?>> unitOfWork = new BatchingUnitOfWork<>(handled);
        unitOfWork.attachTransaction(settings.transactions());
        ProjectionCommits.reportedByProcessor(unitOfWork);
        unitOfWork.onPrepareCommit(u -> store(segments, next));
        unitOfWork.afterCommit(u -> commits.committed(name, committed));
        reader.process(handled, unitOfWork);
    }

    private void store(Held[] segments, TrackingToken[] tokens) {
        for (int i = 0; i < segments.length; i++) {
            settings.tokenStore().storeToken(tokens[i], name, segments[i].segment.getSegmentId());
        }
    }

    /** Stores every held token while no event comes: it renews the claims, which the read-side bound watches. */
    private void renew() {
        Held[] segments = held.values().toArray(Held[]::new);
        TrackingToken[] tokens = new TrackingToken[segments.length];
        for (int i = 0; i < segments.length; i++) {
            tokens[i] = segments[i].token;
        }
        settings.transactions().executeInTransaction(() -> store(segments, tokens));
        publish();
    }

    /** Whether the half of a segment being merged that owns the event has handled it already. */
    private static boolean halfCovers(TrackingToken token, Segment segment, int hash, TrackingToken at) {
        MergedTrackingToken merged = WrappedToken.unwrap(token, MergedTrackingToken.class).orElseThrow();
        Segment[] halves = segment.split();
        TrackingToken half = halves[0].matches(hash) ? merged.lowerSegmentToken() : merged.upperSegmentToken();
        return half != null && half.covers(at);
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

    /** The stream starts where the segment furthest behind stands (null: from the first event). */
    private TrackingToken lowerBound() {
        TrackingToken from = null;
        boolean first = true;
        for (Held segment : held.values()) {
            TrackingToken bound = WrappedToken.unwrapLowerBound(segment.token);
            if (bound == null) {
                return null;
            }
            from = first ? bound : from.lowerBound(bound);
            first = false;
        }
        return from;
    }

    /** Claims free segments (unclaimed, or left by a node silent past the claim timeout) up to the capacity. */
    private void claim() {
        if (held.size() >= settings.maxSegments()) {
            return;
        }
        List<Segment> available = settings.transactions().fetchInTransaction(
                () -> settings.tokenStore().fetchAvailableSegments(name));
        boolean changed = false;
        long now = System.nanoTime();
        for (Segment segment : available) {
            Long until = releasedUntil.get(segment.getSegmentId());
            if (held.size() >= settings.maxSegments() || held.containsKey(segment.getSegmentId())
                    || until != null && now - until < 0) {
                continue;
            }
            try {
                TrackingToken token = settings.transactions().fetchInTransaction(
                        () -> settings.tokenStore().fetchToken(name, segment.getSegmentId()));
                held.put(segment.getSegmentId(), new Held(segment, token));
                changed = true;
                log.info("Reader {}: claimed segment {}", name, segment.getSegmentId());
            } catch (UnableToClaimTokenException taken) {
                // another node was quicker
            }
        }
        if (changed) {
            // the new segment may stand behind the stream
            closeStream();
            caughtUp = false;
            publish();
        }
    }

    private void serveReleases() {
        long now = System.nanoTime();
        List<Integer> due = held.keySet().stream()
                .filter(id -> releasedUntil.containsKey(id) && now - releasedUntil.get(id) < 0).toList();
        if (due.isEmpty()) {
            return;
        }
        settings.transactions().executeInTransaction(() -> due.forEach(id -> {
            settings.tokenStore().storeToken(held.get(id).token, name, id);
            settings.tokenStore().releaseClaim(name, id);
        }));
        due.forEach(held::remove);
        log.info("Reader {}: released segment(s) {}", name, due);
        publish();
    }

    /**
     * Merges a held segment with its pair when this node holds both, as Axon's processor merges: the upper
     * segment's entry deleted and the lower one's token replaced by both halves' tokens, which the merged
     * segment's events are checked against until they meet. Nothing changes when the pair is not held here.
     */
    private void serveMerges() {
        for (Merge merge = merges.poll(); merge != null; merge = merges.poll()) {
            Held one = held.get(merge.segment());
            Held other = one == null ? null : held.get(one.segment.mergeableSegmentId());
            if (one == null || other == null || one == other) {
                merge.done().complete(false);
                continue;
            }
            Held lower = one.segment.getSegmentId() < other.segment.getSegmentId() ? one : other;
            Held upper = lower == one ? other : one;
            Segment merged = lower.segment.mergedWith(upper.segment);
            TrackingToken token = Objects.equals(lower.token, upper.token) ? lower.token
                    : new MergedTrackingToken(lower.token, upper.token);
            Merge asked = merge;
            try {
                settings.transactions().executeInTransaction(() -> {
                    settings.tokenStore().deleteToken(name, upper.segment.getSegmentId());
                    settings.tokenStore().storeToken(token, name, merged.getSegmentId());
                    // before the commit, as Axon's processor completes a merge (SegmentBalancer forgets tokens then)
                    asked.done().complete(true);
                });
            } catch (RuntimeException e) {
                asked.done().completeExceptionally(e);
                continue;
            }
            held.remove(upper.segment.getSegmentId());
            lower.segment = merged;
            lower.token = token;
            closeStream();
            publish();
        }
    }

    private void releaseAll() {
        if (held.isEmpty()) {
            return;
        }
        try {
            settings.transactions().executeInTransaction(() -> held.keySet()
                    .forEach(id -> settings.tokenStore().releaseClaim(name, id)));
        } catch (RuntimeException e) {
            // the claims then expire after the claim timeout
            log.warn("Reader {}: could not release its claims: {}", name, e.toString());
        }
        held.clear();
    }

    private void publish() {
        Map<Integer, EventTrackerStatus> now = new TreeMap<>();
        held.forEach((id, segment) -> now.put(id, new ReaderStatus(segment.segment, segment.token, caughtUp, error)));
        status = Map.copyOf(now);
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
