package io.convtrail.app.readside;

/**
 * How far the read side was behind the event store's head when last looked at.
 *
 * @param events  events the slowest live projection (audit or trace) has not yet committed
 * @param applies whether any projection is alive to be waited for: false when no query node holds a
 *                segment (a command-only deployment with its query nodes down), while every segment is
 *                rebuilding, or when the lag could not be read (the database is away; the turn will say so)
 */
record ReadSideLag(long events, boolean applies) {

    static final ReadSideLag UNKNOWN = new ReadSideLag(0, false);

    /** Whether a new turn must wait under this bound. */
    boolean holdsBack(long maxLag) {
        return applies && events > maxLag;
    }
}
