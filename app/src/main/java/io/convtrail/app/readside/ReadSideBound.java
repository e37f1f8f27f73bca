package io.convtrail.app.readside;

/**
 * What a reading of the read side is held to before a new turn may start: at most {@code maxLag} events
 * behind the store's head (those appended within the in-flight window not counted), and, unless
 * {@code maxDelayNanos} is 0, no event left uncommitted by a projection longer than that since it was appended.
 */
record ReadSideBound(long maxLag, long maxDelayNanos) {

    static ReadSideBound of(ReadSideProperties properties) {
        return new ReadSideBound(properties.maxLag(), properties.maxDelay().toNanos());
    }

    static ReadSideBound events(long maxLag) {
        return new ReadSideBound(maxLag, 0);
    }

    boolean overDelay(long delayNanos) {
        return maxDelayNanos > 0 && delayNanos > maxDelayNanos;
    }
}
