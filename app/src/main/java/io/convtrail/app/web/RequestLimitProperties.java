package io.convtrail.app.web;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Limits on every request ({@code convtrail.request.*}), enforced at the edge before any handler runs.
 *
 * @param maxBodySize      the largest request body (413 above); the per-field limits of the turn come on top
 * @param maxJsonDepth     how deeply a JSON body may nest (413 above): stored payloads are nested again
 *                         inside trace answers, so a deep body could make a conversation unreadable
 * @param perClientRate    requests per second one client (remote address) may sustain (429 above)
 * @param perClientBurst   requests one client may send at once before {@code perClientRate} applies
 */
@Validated
@ConfigurationProperties("convtrail.request")
public record RequestLimitProperties(
        @DefaultValue("64KB") @Positive DataSize maxBodySize,
        @DefaultValue("16") @Min(2) int maxJsonDepth,
        @DefaultValue("100") @Min(1) int perClientRate,
        @DefaultValue("200") @Min(1) int perClientBurst) {
}
