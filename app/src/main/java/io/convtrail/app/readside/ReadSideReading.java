package io.convtrail.app.readside;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One reading of how far the read side is behind the event store's head, and the turns this node let
 * in on it. Only what the projections have not committed of the events appended before the in-flight
 * window counts against the bound ({@link #behind}): the events of the last moment are on their way
 * through a projection batch at any rate, and counting them would cap turns at the bound divided by a
 * batch's latency even while the projections keep up. Each turn let in is counted against the room
 * left under the bound at an estimated number of events per turn, so that when the read side catches
 * up, the turns waiting for it go in a few per reading instead of all at once (which would overshoot
 * the bound by a turn's events per client).
 */
final class ReadSideReading {

    /** Before the first reading: old, so the first turn waits for a fresh one. */
    static final ReadSideReading NONE_YET =
            new ReadSideReading(0, 0, 0, false, -1, 1, System.nanoTime() - Long.MAX_VALUE / 2);

    /** Events the slowest live projection (audit or trace) has not yet committed. */
    final long events;
    /** Of those, the ones appended before the in-flight window: what the bound counts. */
    final long behind;
    /**
     * Whether any projection runs to be waited for: false when no query node holds a segment (a
     * command-only deployment with its query nodes down), while every segment rebuilds, or when the lag
     * could not be read (the database is away; the turn itself will say so).
     */
    final boolean applies;
    /**
     * How long ago the oldest event the slowest live projection has not committed was appended (as first seen
     * by a reading; 0 when it has committed every event): what {@code max-delay} bounds.
     */
    final long delayNanos;
    /** The store's head (max global index) at the reading; -1 unknown. */
    final long head;
    final double eventsPerTurn;
    /** {@link System#nanoTime()} of the reading. */
    final long readAt;
    private final AtomicInteger admitted = new AtomicInteger();

    ReadSideReading(long events, long behind, long delayNanos, boolean applies, long head, double eventsPerTurn,
                    long readAt) {
        this.events = events;
        this.behind = behind;
        this.delayNanos = delayNanos;
        this.applies = applies;
        this.head = head;
        this.eventsPerTurn = eventsPerTurn;
        this.readAt = readAt;
    }

    static ReadSideReading unknown(long head, double eventsPerTurn) {
        return new ReadSideReading(0, 0, 0, false, head, eventsPerTurn, System.nanoTime());
    }

    /** Whether the read side is over a bound: a turn that cannot get in on such a reading in time is refused. */
    boolean holdsBack(ReadSideBound bound) {
        return applies && (behind > bound.maxLag() || bound.overDelay(delayNanos));
    }

    /**
     * Lets a turn in if the read side is within the delay bound and the events of the turns already let in on this
     * reading leave room for it under the event bound.
     */
    boolean tryAdmit(ReadSideBound bound) {
        if (applies && bound.overDelay(delayNanos)) {
            return false;
        }
        while (true) {
            int before = admitted.get();
            if (applies && behind + before * eventsPerTurn > bound.maxLag()) {
                return false;
            }
            if (admitted.compareAndSet(before, before + 1)) {
                return true;
            }
        }
    }

    /** The turns let in on this reading. */
    int admitted() {
        return admitted.get();
    }

    /** Whether it was read more than {@code nanos} ago (after the watcher slept: the load had stopped). */
    boolean olderThan(long nanos) {
        return System.nanoTime() - readAt > nanos;
    }
}
