package io.convtrail.app.readside;

import io.convtrail.api.refusal.Refusal;
import io.convtrail.api.refusal.RefusedException;
import io.convtrail.command.turn.TurnBackpressure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * Admits a new turn only while the audit and trace projections are at most {@code max-lag} events
 * behind the event store's head, not counting the events still in flight (appended within
 * {@code in-flight} of the reading), and hold no event appended more than {@code max-delay} ago
 * uncommitted, counting the turns already let in on the same reading
 * ({@link ReadSideReading}; {@link ReadSideWatcher} keeps the reading in memory); otherwise the turn
 * waits, without polling, for the next readings until there is room, at most {@code max-wait}. A turn
 * that finds the read side still over the bound then is
 * refused with 503 {@code read-side-behind} and Retry-After before anything of it is recorded. Turns
 * thereby run no faster than the read side records them, and the record and the live streams stay
 * current under any load. Meters: {@code convtrail.turn.backpressure.wait} (turns that waited, and
 * how long), {@code convtrail.turn.backpressure.refused}, {@code convtrail.turn.backpressure.lag.events},
 * {@code convtrail.turn.backpressure.behind.events}, {@code convtrail.turn.backpressure.delay}.
 */
@Component
@EnableConfigurationProperties(ReadSideProperties.class)
class ReadSideGate implements TurnBackpressure {

    private final ReadSideProperties properties;
    private final ReadSideBound bound;
    private final ReadSideWatcher watcher;
    private final Timer waits;
    private final Counter refusals;
    /** A reading older than this is not trusted to admit a turn (the watcher slept while no turn ran). */
    private final long freshNanos;

    ReadSideGate(ReadSideProperties properties, ReadSideWatcher watcher, MeterRegistry meters) {
        this.properties = properties;
        this.bound = ReadSideBound.of(properties);
        this.watcher = watcher;
        this.freshNanos = Math.max(properties.pollInterval().toNanos() * 10, Duration.ofMillis(250).toNanos());
        this.waits = Timer.builder("convtrail.turn.backpressure.wait")
                .description("new turns held back because the read side was too far behind, and for how long")
                .register(meters);
        this.refusals = Counter.builder("convtrail.turn.backpressure.refused")
                .description("new turns refused (503) because the read side stayed too far behind for the whole wait")
                .register(meters);
        Gauge.builder("convtrail.turn.backpressure.lag.events", watcher,
                        w -> w.current().applies ? w.current().events : Double.NaN)
                .description("events the slowest live audit or trace projection was behind the store's head when last "
                        + "read (read while turns run; NaN when no projection is live)")
                .register(meters);
        Gauge.builder("convtrail.turn.backpressure.behind.events", watcher,
                        w -> w.current().applies ? w.current().behind : Double.NaN)
                .description("of those, the events appended before the in-flight window: what the bound counts")
                .register(meters);
        Gauge.builder("convtrail.turn.backpressure.delay", watcher,
                        w -> w.current().applies ? w.current().delayNanos / 1e6 : Double.NaN)
                .description("how long ago the oldest event the slowest live audit or trace projection had not committed "
                        + "was appended, when last read (0: none): what max-delay bounds")
                .baseUnit("milliseconds")
                .register(meters);
    }

    @Override
    public void awaitReadSide() {
        if (!properties.backpressure()) {
            return;
        }
        watcher.demand();
        ReadSideReading reading = watcher.current();
        boolean fresh = !reading.olderThan(freshNanos);
        if (fresh && reading.tryAdmit(bound)) {
            return;
        }
        // held back: a fresh reading had no room; otherwise (the first turn after a pause) only waiting for one
        boolean heldBack = fresh;
        long started = System.nanoTime();
        long deadline = started + properties.maxWait().toNanos();
        try {
            while (System.nanoTime() < deadline) {
                ReadSideReading seen = reading;
                reading = watcher.awaitAfter(seen, deadline);
                // a reading after the one this turn found is recent enough, however late this thread wakes
                if (reading != seen) {
                    if (reading.tryAdmit(bound)) {
                        break;
                    }
                    heldBack = true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reading = watcher.current();
        }
        Duration waited = Duration.ofNanos(System.nanoTime() - started);
        if (heldBack) {
            waits.record(waited);
        }
        if (reading.holdsBack(bound)) {
            refusals.increment();
            String why = reading.behind > properties.maxLag()
                    ? reading.behind + " of them appended over " + properties.inFlight().toMillis() + " ms ago, more than the "
                    + properties.maxLag() + " a new turn may start at"
                    : "the oldest of them appended " + reading.delayNanos / 1_000_000 + " ms ago, longer than the "
                    + properties.maxDelay().toMillis() + " ms a new turn may start at";
            throw new RefusedException(Refusal.READ_SIDE_BEHIND, null, "The read side (audit and trace) is "
                    + reading.events + " events behind the event store, " + why + "; waited " + waited.toMillis()
                    + " ms. Nothing was recorded; retry shortly.", properties.retryAfter())
                    .with("lagEvents", reading.events)
                    .with("maxLag", properties.maxLag());
        }
    }
}
