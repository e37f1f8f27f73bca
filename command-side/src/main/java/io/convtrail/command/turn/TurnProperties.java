package io.convtrail.command.turn;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * How turns are admitted.
 *
 * @param busyWait               how long a request waits for another turn of the same conversation to end before 409
 * @param abandonAfter           an open turn older than this is closed as abandoned by the next turn
 * @param maxMessageSize         the largest user message accepted (UTF-8 bytes); larger gets 413
 * @param maxInputParamsSize     the largest {@code inputParams} accepted (as compact JSON, UTF-8 bytes); larger gets 413
 * @param maxConversationRecords a conversation holding this many records (stages and verbose messages) takes no
 *                               new turn and no feedback (413): one conversation cannot grow without bound. A
 *                               turn that starts below the limit runs to its end, so a conversation may pass it
 *                               by one turn's records
 * @param maxTurnsPerMinute      turns one conversation may start per minute (429 above, with Retry-After)
 * @param shutdownGrace          how long a stopping service lets running turns finish before it closes them as
 *                               abandoned
 */
@Validated
@ConfigurationProperties("convtrail.turn")
public record TurnProperties(
        @DefaultValue("5s") @PositiveOrZero Duration busyWait,
        @DefaultValue("2m") @Positive Duration abandonAfter,
        @DefaultValue("16KB") @Positive DataSize maxMessageSize,
        @DefaultValue("16KB") @Positive DataSize maxInputParamsSize,
        @DefaultValue("20000") @Min(1) long maxConversationRecords,
        @DefaultValue("60") @Min(1) int maxTurnsPerMinute,
        @DefaultValue("15s") @PositiveOrZero Duration shutdownGrace) {
}
