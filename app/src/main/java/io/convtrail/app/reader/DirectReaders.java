package io.convtrail.app.reader;

import io.convtrail.query.projection.ProjectionCommits;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.ErrorHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.messaging.unitofwork.RollbackConfiguration;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.springboot.EventProcessorProperties;
import org.springframework.beans.factory.BeanFactory;

import java.time.Duration;

/**
 * Registers a projection's processor as a {@link DirectReader} with the settings Axon's tracking processor would
 * take from {@code axon.eventhandling.processors.<name>}: its source, {@code thread-count} (here: how many segments
 * the node may hold), {@code batch-size}, {@code initial-segment-count} and {@code token-claim-interval}.
 */
public final class DirectReaders {

    private DirectReaders() {
    }

    @SuppressWarnings("unchecked")
    public static void register(EventProcessingConfigurer processing, String name,
                                EventProcessorProperties.ProcessorSettings settings, BeanFactory beans) {
        processing.registerEventProcessor(name, (processorName, configuration, handlers) -> {
            EventProcessingConfiguration parts = configuration.eventProcessingConfiguration();
            StreamableMessageSource<TrackedEventMessage<?>> source = settings.getSource() == null
                    ? configuration.eventStore()
                    : beans.getBean(settings.getSource(), StreamableMessageSource.class);
            MessageMonitor<? super EventMessage<?>> monitor = configuration.messageMonitor(DirectReader.class,
                    processorName);
            RollbackConfiguration rollback = parts.rollbackConfiguration(processorName);
            ErrorHandler errors = parts.errorHandler(processorName);
            DirectReader.Builder builder = new DirectReader.Builder();
            builder.name(processorName)
                    .eventHandlerInvoker(handlers)
                    .rollbackConfiguration(rollback)
                    .errorHandler(errors)
                    .messageMonitor(monitor);
            return new DirectReader(builder, new DirectReader.Settings(source, parts.tokenStore(processorName),
                    parts.transactionManager(processorName), parts.sequencingPolicy(processorName),
                    beans.getBean(ProjectionCommits.class), Math.max(1, settings.getThreadCount()),
                    Math.max(1, settings.getBatchSize()),
                    settings.getInitialSegmentCount() == null ? 1 : settings.getInitialSegmentCount(),
                    claimInterval(settings), monitor, rollback, errors));
        });
    }

    private static Duration claimInterval(EventProcessorProperties.ProcessorSettings settings) {
        return Duration.ofMillis(settings.getTokenClaimIntervalTimeUnit().toMillis(settings.getTokenClaimInterval()));
    }
}
