package io.convtrail.app.readside;

/**
 * How fast the slowest live projection commits events, estimated from the readings. While it had events to
 * project between two readings (it did not reach the first one's head by the second), its position's growth
 * over the time between is its pace, and the estimate moves a third of the way to it. While it kept up (it
 * reached that head), it could have committed more than the turns let in gave it, so the estimate grows by a
 * tenth per reading: turns let in at the estimate then probe for the projection's pace instead of staying at a
 * pace once seen under a heavier load (a few hundred milliseconds to double). Used only by the watcher's thread.
 */
final class ProjectionRate {

    private static final double WEIGHT = 0.3;
    private static final double GROWTH = 1.1;

    /** Events per nanosecond; negative before any pace was seen. */
    private double perNano = -1;

    /** One reading: the events the projection committed since the previous one, the time between, whether it kept up. */
    void observe(long committed, long elapsedNanos, boolean keptUp) {
        if (elapsedNanos <= 0 || committed < 0) {
            return;
        }
        double seen = (double) committed / elapsedNanos;
        if (!keptUp) {
            perNano = perNano < 0 ? seen : perNano + WEIGHT * (seen - perNano);
        } else if (perNano >= 0) {
            perNano = Math.max(perNano * GROWTH, seen);
        }
    }

    /** Events the projection commits in {@code span} nanoseconds at its pace; -1 before any pace was seen. */
    double eventsWithin(long spanNanos) {
        return perNano < 0 ? -1 : perNano * spanNanos;
    }
}
