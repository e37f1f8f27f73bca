package io.convtrail.app.node;

import io.convtrail.app.runner.TurnRunnerRegistry;
import io.convtrail.query.projection.ProjectionCommits;
import io.convtrail.query.projection.ProjectionTokens;
import org.axonframework.config.Configuration;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.springboot.EventProcessorProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.convtrail.app.reader.DirectReaders;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jdbc.JdbcConnectionDetails;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.util.HashMap;
import java.util.Map;

/**
 * The node's roles at work: the turn endpoints refused without the command role, the projections
 * registered but never started without the query role, their segments shared with the other query
 * nodes with it ({@link SegmentBalancer}), and the roles shown by health ({@code node} component) and
 * by the startup line.
 */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({NodeRoles.class, SegmentBalance.class})
class NodeConfiguration implements WebMvcConfigurer {

    private static final Logger log = LoggerFactory.getLogger(NodeConfiguration.class);

    private final NodeRoles roles;

    NodeConfiguration(NodeRoles roles) {
        this.roles = roles;
    }

    @Bean
    static DormantProjections dormantProjections(Environment environment) {
        return new DormantProjections(environment);
    }

    /**
     * The processors {@link DormantProjections} took from Axon's auto-configuration: dormant tracking processors
     * on a node without the query role, direct readers on a query node ({@code convtrail.read-side.reader}).
     * {@code axonProcessors} is asked for so that it exists, and has been emptied, before this runs.
     */
    @Autowired
    void registerTakenProcessors(EventProcessingConfigurer processing, DormantProjections dormant,
                                    EventProcessorProperties axonProcessors, BeanFactory beans) {
        dormant.taken().forEach((name, settings) -> {
            if (dormant.direct()) {
                DirectReaders.register(processing, name, settings, beans);
                return;
            }
            log.info("Event processor {} is not started: this node has no query role", name);
            processing.registerTrackingEventProcessor(name, Configuration::eventStore, configuration ->
                    TrackingEventProcessorConfiguration.forParallelProcessing(settings.getThreadCount())
                            .andBatchSize(settings.getBatchSize())
                            .andInitialSegmentsCount(settings.getInitialSegmentCount() == null ? 1
                                    : settings.getInitialSegmentCount())
                            .andTokenClaimInterval(settings.getTokenClaimInterval(),
                                    settings.getTokenClaimIntervalTimeUnit())
                            .andAutoStart(false));
        });
    }

    /** Only a query node runs projections, so only one has segments to share. */
    @Bean
    @Conditional(QueryRoleCondition.class)
    @ConditionalOnProperty(name = "convtrail.node.segment-balance.enabled", matchIfMissing = true)
    SegmentBalancer segmentBalancer(EventProcessingConfiguration processing, ProjectionTokens tokens,
                                    ProjectionCommits commits, TurnRunnerRegistry runner,
                                    JdbcConnectionDetails database, SegmentBalance balance,
                                    EventProcessorProperties axonProcessors, DormantProjections taken) {
        Map<String, Integer> segments = new HashMap<>();
        if (balance.merge()) {
            Map<String, EventProcessorProperties.ProcessorSettings> processors = new HashMap<>(taken.taken());
            processors.putAll(axonProcessors.getProcessors());
            processors.forEach((name, settings) -> {
                if (settings.getInitialSegmentCount() != null) {
                    segments.put(name, settings.getInitialSegmentCount());
                }
            });
        }
        return new SegmentBalancer(processing, tokens, commits, runner,
                new QueryNodePresence(database, runner.self()), balance.interval(), segments);
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        if (!roles.has(NodeRole.COMMAND)) {
            registry.addInterceptor(new CommandRoleGuard());
        }
    }

    @Bean("node")
    HealthIndicator nodeHealth(TurnRunnerRegistry runner) {
        Health health = Health.up().withDetail("name", runner.nodeName()).withDetail("roles", roles.describe()).build();
        return () -> health;
    }
}
