package io.convtrail.command;

import io.convtrail.command.aggregate.AggregateProperties;
import io.convtrail.command.aggregate.ConversationCache;
import io.convtrail.command.aggregate.ConversationTargetResolver;
import io.convtrail.command.turn.TurnProperties;
import org.axonframework.common.caching.Cache;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/**
 * Command-side wiring. A long conversation would otherwise be re-read event by event on every
 * command: the cache keeps hot aggregates in memory and snapshots bound the replay after a restart.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({TurnProperties.class, AggregateProperties.class})
public class CommandSideConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.tick(Clock.systemUTC(), java.time.Duration.ofNanos(1_000)); // PostgreSQL keeps microseconds
    }

    @Bean
    SnapshotTriggerDefinition conversationSnapshotTrigger(Snapshotter snapshotter,
            AggregateProperties properties) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, properties.snapshotEvery());
    }

    /** Which conversation a command is for, without Axon's reflection per command. */
    @Bean
    ConversationTargetResolver conversationTargetResolver() {
        return new ConversationTargetResolver();
    }

    @Bean
    Cache conversationCache(AggregateProperties properties) {
        return new ConversationCache(properties.cacheSize(), properties.cacheTtl());
    }
}
