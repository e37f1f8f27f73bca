package io.convtrail.app.reader;

import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.MergedTrackingToken;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The segments one {@link DirectReader} holds on this node, claimed in Axon's token table as a tracking
 * processor claims them (owner and timestamp, renewed by every stored token), so nodes running either kind
 * of processor never hold the same segment. Used by the reader's thread alone; releases and merges other
 * threads ask for ({@code SegmentBalancer}) wait in a queue until the thread serves them between batches.
 */
final class HeldSegments {

    private static final Logger log = LoggerFactory.getLogger(HeldSegments.class);

    /** A held segment and the token its last committed batch stored. */
    static final class Held {
        Segment segment;
        TrackingToken token;

        private Held(Segment segment, TrackingToken token) {
            this.segment = segment;
            this.token = token;
        }
    }

    private record Merge(int segment, CompletableFuture<Boolean> done) {
    }

    private final DirectReader.Settings settings;
    private final String name;
    private final TreeMap<Integer, Held> held = new TreeMap<>();
    private final Map<Integer, Long> releasedUntil = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Merge> merges = new ConcurrentLinkedQueue<>();

    HeldSegments(DirectReader.Settings settings, String name) {
        this.settings = settings;
        this.name = name;
    }

    /** Asked by another thread: the segment is given up at the next batch boundary and not claimed again for a while. */
    void release(int segment, long nanos) {
        releasedUntil.put(segment, System.nanoTime() + nanos);
    }

    /** Asked by another thread: merged at the next batch boundary if this node holds the pair, else answered false. */
    CompletableFuture<Boolean> merge(int segment) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        merges.add(new Merge(segment, done));
        return done;
    }

    boolean isEmpty() {
        return held.isEmpty();
    }

    int size() {
        return held.size();
    }

    Held[] all() {
        return held.values().toArray(Held[]::new);
    }

    /** Forgets every segment without touching the table: a claim was lost, so the table decides again. */
    void forget() {
        held.clear();
    }

    void initialize() {
        settings.transactions().executeInTransaction(() -> {
            if (settings.tokenStore().fetchSegments(name).length == 0) {
                settings.tokenStore().initializeTokenSegments(name, settings.initialSegments(),
                        settings.source().createTailToken());
            }
        });
    }

    /**
     * Claims free segments (unclaimed, this node's, or left by a node silent past the claim timeout) up to the
     * capacity, but those this node released a moment ago; true if it took any.
     */
    boolean claim() {
        if (held.size() >= settings.maxSegments()) {
            return false;
        }
        List<Segment> available = settings.transactions().fetchInTransaction(
                () -> settings.tokenStore().fetchAvailableSegments(name));
        boolean claimed = false;
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
                claimed = true;
                log.info("Reader {}: claimed segment {}", name, segment.getSegmentId());
            } catch (UnableToClaimTokenException taken) {
                // another node was quicker
            }
        }
        return claimed;
    }

    /** Stores the tokens (in the caller's transaction), which also renews the claims or fails if one was lost. */
    void store(Held[] segments, TrackingToken[] tokens) {
        for (int i = 0; i < segments.length; i++) {
            settings.tokenStore().storeToken(tokens[i], name, segments[i].segment.getSegmentId());
        }
    }

    /** Stores every held token as it is, in a transaction of its own: the claims' renewal while no event comes. */
    void renew() {
        Held[] segments = all();
        TrackingToken[] tokens = new TrackingToken[segments.length];
        for (int i = 0; i < segments.length; i++) {
            tokens[i] = segments[i].token;
        }
        settings.transactions().executeInTransaction(() -> store(segments, tokens));
    }

    /** Gives up the segments asked to be released; true if any. */
    boolean serveReleases() {
        long now = System.nanoTime();
        List<Integer> due = held.keySet().stream()
                .filter(id -> releasedUntil.containsKey(id) && now - releasedUntil.get(id) < 0).toList();
        if (due.isEmpty()) {
            return false;
        }
        settings.transactions().executeInTransaction(() -> due.forEach(id -> {
            settings.tokenStore().storeToken(held.get(id).token, name, id);
            settings.tokenStore().releaseClaim(name, id);
        }));
        due.forEach(held::remove);
        log.info("Reader {}: released segment(s) {}", name, due);
        return true;
    }

    /**
     * Merges each segment asked for with its pair when this node holds both, as Axon's processor merges: the
     * upper segment's entry deleted, the lower one's token replaced by both halves' tokens, which the merged
     * segment's events are checked against until they meet ({@link #halfCovers}). True if any was merged.
     */
    boolean serveMerges() {
        boolean mergedAny = false;
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
            mergedAny = true;
        }
        return mergedAny;
    }

    /** Answers merges still waiting: the reader stopped. */
    void refuseMerges() {
        merges.forEach(merge -> merge.done().complete(false));
        merges.clear();
    }

    /** Releases every claim, so another node need not wait out the claim timeout. */
    void releaseAll() {
        if (held.isEmpty()) {
            return;
        }
        try {
            settings.transactions().executeInTransaction(() -> held.keySet()
                    .forEach(id -> settings.tokenStore().releaseClaim(name, id)));
        } catch (RuntimeException e) {
            log.warn("Reader {}: could not release its claims, they lapse after the claim timeout: {}", name,
                    e.toString());
        }
        held.clear();
    }

    /** The stream starts where the segment furthest behind stands (null: from the first event). */
    TrackingToken lowerBound() {
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

    /** Whether the half of a segment being merged that owns the event has handled it already. */
    static boolean halfCovers(TrackingToken token, Segment segment, int hash, TrackingToken at) {
        MergedTrackingToken merged = WrappedToken.unwrap(token, MergedTrackingToken.class).orElseThrow();
        Segment[] halves = segment.split();
        TrackingToken half = halves[0].matches(hash) ? merged.lowerSegmentToken() : merged.upperSegmentToken();
        return half != null && half.covers(at);
    }

    Map<Integer, EventTrackerStatus> status(boolean caughtUp, Throwable error) {
        Map<Integer, EventTrackerStatus> now = new TreeMap<>();
        held.forEach((id, segment) -> now.put(id, new ReaderStatus(segment.segment, segment.token, caughtUp, error)));
        return Map.copyOf(now);
    }
}
