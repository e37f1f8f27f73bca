package io.convtrail.app.node;

import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * How query nodes share the projections' segments ({@code convtrail.node.segment-balance}).
 *
 * @param enabled  false: a node keeps every segment it claims, as Axon alone does (the first query node
 *                 takes all its threads allow and the others stand by)
 * @param interval how often a query node compares its segments with its fair share; a segment it gives up
 *                 is not claimed back by it for twice this, so this must exceed every processor's
 *                 {@code token-claim-interval}, or the node would take back what another was about to claim
 * @param merge    true: a projection whose token table holds more segments than its
 *                 {@code initial-segment-count} (a database made with an older default) has them merged,
 *                 two at a time, by a query node that holds both ({@link SegmentBalancer}); false: it keeps them
 */
@Validated
@ConfigurationProperties("convtrail.node.segment-balance")
public record SegmentBalance(@DefaultValue("true") boolean enabled, @DefaultValue("5s") @Positive Duration interval,
                             @DefaultValue("true") boolean merge) {
}
