package io.convtrail.command.turn;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

/**
 * How turns are admitted.
 *
 * @param busyWait         how long a request waits for another turn of the same conversation to end before 409
 * @param abandonAfter     an open turn older than this is closed as abandoned by the next turn
 * @param maxMessageSize   the largest user message accepted (UTF-8 bytes); larger gets 413
 * @param shutdownGrace    how long a stopping service lets running turns finish before it closes them as abandoned
 */
@ConfigurationProperties("convtrail.turn")
public record TurnProperties(
        @DefaultValue("5s") Duration busyWait,
        @DefaultValue("2m") Duration abandonAfter,
        @DefaultValue("16KB") DataSize maxMessageSize,
        @DefaultValue("15s") Duration shutdownGrace) {
}
