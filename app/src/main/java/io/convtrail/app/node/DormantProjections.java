package io.convtrail.app.node;

import io.convtrail.app.readside.ReadSideProperties;
import io.convtrail.app.readside.ReadSideReader;
import org.axonframework.springboot.EventProcessorProperties;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * On a node without the query role, takes the event processors ({@code axon.eventhandling.processors.*})
 * out of Axon's auto-configuration, which would start them, so that {@link NodeConfiguration}
 * registers them with the same settings but not started: they claim no segment and project nothing,
 * and the query nodes keep all the work. Axon offers no property for this. On a query node whose
 * reader is {@code direct} ({@code convtrail.read-side.reader}) it takes them too, for
 * {@link NodeConfiguration} to register each as a {@code DirectReader} with the same settings.
 */
final class DormantProjections implements BeanPostProcessor {

    private final boolean dormant;
    private final boolean direct;
    private final Map<String, EventProcessorProperties.ProcessorSettings> taken = new LinkedHashMap<>();

    DormantProjections(Environment environment) {
        this.dormant = !roles(environment).contains(NodeRole.QUERY);
        this.direct = !dormant && Binder.get(environment).bind("convtrail.read-side.reader", ReadSideReader.class)
                .orElse(ReadSideReader.valueOf(ReadSideProperties.DEFAULT_READER.toUpperCase(Locale.ROOT)))
                == ReadSideReader.DIRECT;
    }

    /** The roles as configured, read before the {@link NodeRoles} bean exists (post-processors and conditions). */
    static Set<NodeRole> roles(Environment environment) {
        return Binder.get(environment).bind("convtrail.node.roles", Bindable.setOf(NodeRole.class))
                .orElse(Set.of(NodeRole.COMMAND, NodeRole.QUERY));
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if ((dormant || direct) && bean instanceof EventProcessorProperties properties) {
            taken.putAll(properties.getProcessors());
            properties.getProcessors().clear();
        }
        return bean;
    }

    /** Whether the processors taken are to run as direct readers (a query node), not dormant. */
    boolean direct() {
        return direct;
    }

    /** The processors to register without starting them, or as direct readers; empty on a query node of Axon's. */
    Map<String, EventProcessorProperties.ProcessorSettings> taken() {
        return taken;
    }
}
