package io.convtrail.command.aggregate;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * How conversations are kept in memory and on disk ({@code convtrail.aggregate.*}).
 *
 * @param snapshotEvery events between two snapshots of a conversation: a restart replays at most
 *                      this many events of it
 * @param cacheSize     conversations kept in memory between commands; the least recently used go first
 * @param cacheTtl      how long a cached conversation is trusted after its last command on this node: bounds
 *                      how long a conversation written meanwhile by another command node is served stale
 */
@ConfigurationProperties("convtrail.aggregate")
public record AggregateProperties(@DefaultValue("250") int snapshotEvery,
                                  @DefaultValue("10000") int cacheSize,
                                  @DefaultValue("30s") Duration cacheTtl) {
}
