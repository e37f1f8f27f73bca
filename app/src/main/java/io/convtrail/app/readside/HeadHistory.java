package io.convtrail.app.readside;

/**
 * The event store's head at the watcher's recent readings, so a reading can tell the events appended
 * within the in-flight window from older ones, and how long ago the oldest event a projection has not
 * committed was appended. A ring of the newest readings, enough to reach one window (and the longest
 * delay a turn may start at) back at the poll interval. Used only by the watcher's thread.
 * <p>
 * It answers the head at the first reading inside the window, not the last one before it: the events
 * appended since that reading are certainly younger than the window, however sparse the readings
 * (a slow database, a starved thread), so nothing older is ever taken for in flight.
 */
final class HeadHistory {

    private final long[] readAt;
    private final long[] heads;
    private int newest = -1;
    /** Readings since the last pause: what the in-flight window may reach. */
    private int size;
    /** Readings kept, across pauses: an event a reading before a pause saw is older than that reading still. */
    private int kept;

    HeadHistory(int capacity) {
        this.readAt = new long[capacity];
        this.heads = new long[capacity];
    }

    void add(long nanos, long head) {
        newest = (newest + 1) % heads.length;
        readAt[newest] = nanos;
        heads[newest] = head;
        size = Math.min(size + 1, heads.length);
        kept = Math.min(kept + 1, heads.length);
    }

    /** Forgets every reading for the in-flight window (after a pause: what was appended meanwhile is not in flight). */
    void clear() {
        size = 0;
    }

    /** Forgets every reading (the head went back: a store emptied under a running node, as tests do). */
    void forget() {
        size = 0;
        kept = 0;
    }

    /**
     * When the event after {@code position} was first seen: the {@link System#nanoTime()} of the oldest reading kept
     * whose head was past it (so the event is at least that old); {@code noneSince} if no reading was past it. When
     * even the oldest reading kept was past it, that reading's time: the event is older still.
     */
    long firstPast(long position, long noneSince) {
        for (int i = kept - 1; i >= 0; i--) {
            int at = Math.floorMod(newest - i, heads.length);
            if (heads[at] > position) {
                return readAt[at];
            }
        }
        return noneSince;
    }

    /** The head at the oldest reading kept that was taken at or after {@code nanos}; -1 if there is none. */
    long headSince(long nanos) {
        for (int i = size - 1; i >= 0; i--) {
            int at = Math.floorMod(newest - i, heads.length);
            if (readAt[at] - nanos >= 0) {
                return heads[at];
            }
        }
        return -1;
    }
}
