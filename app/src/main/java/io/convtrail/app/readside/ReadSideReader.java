package io.convtrail.app.readside;

/**
 * Which processor runs the audit, trace and conversation-index projections on a query node
 * ({@code convtrail.read-side.reader}).
 */
public enum ReadSideReader {
    /** One thread per projection reads the store once for all the segments the node holds (DirectReader). */
    DIRECT,
    /** Axon's tracking processor: one thread per held segment, each reading every event. */
    AXON
}
