package io.convtrail.command.aggregate;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How conversations are kept in memory and on disk ({@code convtrail.aggregate.*}).
 *
 * @param snapshotEvery events between two snapshots of a conversation: a restart replays at most
 *                      this many events of it
 */
@ConfigurationProperties("convtrail.aggregate")
public record AggregateProperties(@DefaultValue("250") int snapshotEvery) {
}
