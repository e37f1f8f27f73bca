package io.convtrail.app.operations;

import java.time.Duration;
import java.time.Instant;

/**
 * How far a rebuild has come: {@code done} of {@code total} events (positions in the event store's
 * global order, so a gap left by a rolled-back append counts as one), the replay rate so far and,
 * from it, an estimate of when it ends ({@code null} until the first events are replayed).
 */
public record RebuildProgress(long done, long total, int percent, long eventsPerSecond, Long secondsLeft,
                              String estimatedEndAt, boolean finished) {

    /**
     * @param startedAt when the rebuild started
     * @param target    the head it replays up to (the store's newest position when it started)
     * @param position  the projection's slowest segment's position now (null while none is claimed)
     */
    static RebuildProgress of(Instant startedAt, long target, Long position, Instant now) {
        long total = Math.max(0, target);
        long done = position == null ? 0 : Math.max(0, Math.min(position, total));
        boolean finished = position != null && position >= target;
        double seconds = Math.max(0.001, Duration.between(startedAt, now).toMillis() / 1000.0);
        long rate = Math.round(done / seconds);
        Long left = finished ? Long.valueOf(0) : rate == 0 ? null : (total - done + rate - 1) / rate;
        return new RebuildProgress(done, total, total == 0 ? 100 : (int) (done * 100 / total), rate, left,
                left == null ? null : now.plusSeconds(left).toString(), finished);
    }

    /** One log line: {@code Rebuild of trace: 12000/50000 events (24%), 4000 events/s, about 10 s left}. */
    String describe(String projection) {
        if (finished) {
            return "Rebuild of " + projection + " finished: " + total + " events";
        }
        return "Rebuild of " + projection + ": " + done + "/" + total + " events (" + percent + "%), " + eventsPerSecond
                + " events/s, " + (secondsLeft == null ? "no estimate yet" : "about " + secondsLeft + " s left");
    }
}
