package io.convtrail.app.privacy;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Retention: conversations whose last turn is older than {@code eraseAfter} are erased like
 * {@code DELETE /api/v1/conversations/{id}}, with reason {@code retention}.
 *
 * @param eraseAfter ISO-8601 duration ({@code P30D}, {@code PT12H}) or Spring's form ({@code 30d}); empty: off
 * @param interval   time between two runs (the first runs one interval after start)
 * @param batchSize  conversations looked up and erased per batch; a run goes on batch after batch until none is left
 */
@ConfigurationProperties("convtrail.retention")
public record RetentionProperties(
        Duration eraseAfter,
        @DefaultValue("1h") Duration interval,
        @DefaultValue("100") int batchSize) {

    public RetentionProperties {
        if (eraseAfter != null && (eraseAfter.isNegative() || eraseAfter.isZero())) {
            throw new IllegalArgumentException("convtrail.retention.erase-after must be positive, or empty for off");
        }
        if (interval.isNegative() || interval.isZero() || batchSize < 1) {
            throw new IllegalArgumentException("convtrail.retention.interval must be positive, batch-size at least 1");
        }
    }
}
