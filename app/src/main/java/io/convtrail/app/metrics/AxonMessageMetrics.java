package io.convtrail.app.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.config.Configurer;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.messaging.Message;
import org.axonframework.micrometer.GlobalMetricRegistry;
import org.axonframework.micrometer.MetricsConfigurerModule;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.monitoring.NoOpMessageMonitor;
import org.axonframework.queryhandling.QueryBus;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.springframework.stereotype.Component;

/**
 * Axon's processor and bus metrics ({@code eventProcessor_*}, {@code commandBus_*}, {@code eventStore_*},
 * {@code queryBus_*}, {@code queryUpdateEmitter_*}), tagged by processor and payload type as Axon's
 * dimensional monitors tag them, from monitors that resolve their meters once ({@link MessageMeters}).
 * Being a {@link MetricsConfigurerModule} bean, it takes the place of the one Axon's Spring Boot
 * auto-configuration would register.
 */
@Component
class AxonMessageMetrics extends MetricsConfigurerModule {

    private static final String EVENT_PROCESSOR_PREFIX = "eventProcessor";

    private final MeterRegistry registry;

    AxonMessageMetrics(GlobalMetricRegistry axonRegistry) {
        super(axonRegistry, true);
        this.registry = axonRegistry.getRegistry();
    }

    @Override
    public void configureModule(Configurer configurer) {
        configurer.configureMessageMonitor(configuration -> this::monitorFor);
    }

    MessageMonitor<Message<?>> monitorFor(Class<?> componentType, String componentName) {
        if (EventProcessor.class.isAssignableFrom(componentType)) {
            return new MessageMeters(EVENT_PROCESSOR_PREFIX, MessageMeters.Shape.EVENT_PROCESSOR,
                    Tags.of(MessageMeters.PROCESSOR_NAME_TAG, componentName), registry);
        }
        if (CommandBus.class.isAssignableFrom(componentType) || QueryBus.class.isAssignableFrom(componentType)
                || QueryUpdateEmitter.class.isAssignableFrom(componentType)) {
            return new MessageMeters(componentName, MessageMeters.Shape.HANDLER_BUS, Tags.empty(), registry);
        }
        if (EventBus.class.isAssignableFrom(componentType)) {
            return new MessageMeters(componentName, MessageMeters.Shape.EVENT_BUS, Tags.empty(), registry);
        }
        return NoOpMessageMonitor.instance();
    }
}
