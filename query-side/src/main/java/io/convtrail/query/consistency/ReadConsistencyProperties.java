package io.convtrail.query.consistency;

import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Read-your-writes of the audit, trace and verify reads ({@code convtrail.read.*}).
 *
 * @param consistencyTimeout how long a read waits for the read model to reach the conversation's newest
 *                           event before it answers 503; 0 turns waiting off (reads are eventually consistent)
 * @param pollInterval       how often a waiting read looks at the projections' tokens when no commit on this
 *                           node woke it (batches committed by other nodes are only seen this way)
 * @param retryAfter         the Retry-After of a 503 answer
 */
@Validated
@ConfigurationProperties("convtrail.read")
public record ReadConsistencyProperties(
        @DefaultValue("5s") @PositiveOrZero Duration consistencyTimeout,
        @DefaultValue("100ms") @Positive Duration pollInterval,
        @DefaultValue("1s") @PositiveOrZero Duration retryAfter) {
}
