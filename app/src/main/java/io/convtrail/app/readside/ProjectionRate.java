package io.convtrail.app.readside;

/**
 * How fast the slowest live projection commits events while it has work, estimated from the readings: its
 * position's growth over the time between two readings, counted only when it was behind at the first of
 * them (so it had events to project the whole time and the growth is its pace, not the turns'), decayed
 * like {@link TurnSize} so it follows the load within a second or two. Used only by the watcher's thread.
 */
final class ProjectionRate {

    /** Per counted reading (every 20 ms by default): half of what was seen is forgotten in about 0.5 s. */
    private static final double DECAY = 0.97;

    private double events;
    private double nanos;

    /**
     * One reading: the slowest position then and now, the time between, and how many events it had not yet
     * committed at the previous reading (nothing is learnt when it had none: it was waiting for turns).
     */
    void observe(long committed, long elapsedNanos, long behindBefore) {
        if (behindBefore <= 0 || elapsedNanos <= 0 || committed < 0) {
            return;
        }
        events = events * DECAY + committed;
        nanos = nanos * DECAY + elapsedNanos;
    }

    /** Events the projection commits in {@code span} nanoseconds at its pace; -1 before any pace was seen. */
    double eventsWithin(long spanNanos) {
        return nanos <= 0 ? -1 : events / nanos * spanNanos;
    }

    void forget() {
        events = 0;
        nanos = 0;
    }
}
