package io.convtrail.app.readside;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Backpressure from the read side on new turns ({@code convtrail.read-side.*}).
 *
 * @param backpressure  false: turns never wait for the read side (it may then fall behind without bound)
 * @param maxLag        how many events the audit or trace projection may be behind the event store's head
 *                      before a new turn waits; kept well inside the event store's cache of newest events
 *                      (Axon's {@code EmbeddedEventStore}: 10,000), so projections within it never read the
 *                      store privately
 * @param inFlight      events appended within this long before a reading are on their way through a
 *                      projection batch, not behind: they do not count against {@code maxLag} (at most
 *                      2 × {@code maxLag} of them, so the whole lag stays inside the store's cache). The
 *                      bound then holds turns back only when the projections fall behind, not because
 *                      a faster flow of turns has more events in flight
 * @param maxDelay      how long ago the oldest event the audit or trace projection has not committed may have
 *                      been appended when a new turn starts; 0 turns this bound off (then {@code maxLag} alone
 *                      holds turns back). Read at every reading, so it is seen {@code pollInterval} late at most
 * @param maxWait       how long a new turn waits for the read side before it is refused with 503
 * @param pollInterval  how often the lag is read from the database while turns run or wait (one query of
 *                      the store's head and one of the projections' tokens, for the whole node)
 * @param retryAfter    the Retry-After of a refused turn
 * @param reader        which processor runs the projections on a query node: {@code direct}, one reader per
 *                      projection for all the segments the node holds, or {@code axon}, Axon's tracking
 *                      processor (a thread per segment); nodes of either kind share a database's segments
 */
@Validated
@ConfigurationProperties("convtrail.read-side")
public record ReadSideProperties(
        @DefaultValue("true") boolean backpressure,
        @DefaultValue("2000") @Min(1) long maxLag,
        @DefaultValue("1s") @PositiveOrZero Duration inFlight,
        @DefaultValue("25ms") @PositiveOrZero Duration maxDelay,
        @DefaultValue("5s") @PositiveOrZero Duration maxWait,
        @DefaultValue("20ms") @Positive Duration pollInterval,
        @DefaultValue("1s") @PositiveOrZero Duration retryAfter,
        @DefaultValue(DEFAULT_READER) ReadSideReader reader) {

    /** The default of {@code reader}, also read before the properties are bound (DormantProjections). */
    public static final String DEFAULT_READER = "direct";
}
