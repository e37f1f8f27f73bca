package io.convtrail.app.node;

import org.axonframework.springboot.EventProcessorProperties;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * On a node without the query role, takes the event processors ({@code axon.eventhandling.processors.*})
 * out of Axon's auto-configuration, which would start them, so that {@link NodeConfiguration}
 * registers them with the same settings but not started: they claim no segment and project nothing,
 * and the query nodes keep all the work. Axon offers no property for this.
 */
final class DormantProjections implements BeanPostProcessor {

    private final boolean dormant;
    private final Map<String, EventProcessorProperties.ProcessorSettings> taken = new LinkedHashMap<>();

    DormantProjections(Environment environment) {
        this.dormant = !roles(environment).contains(NodeRole.QUERY);
    }

    /** The roles as configured, read before the {@link NodeRoles} bean exists (post-processors and conditions). */
    static Set<NodeRole> roles(Environment environment) {
        return Binder.get(environment).bind("convtrail.node.roles", Bindable.setOf(NodeRole.class))
                .orElse(Set.of(NodeRole.COMMAND, NodeRole.QUERY));
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (dormant && bean instanceof EventProcessorProperties properties) {
            taken.putAll(properties.getProcessors());
            properties.getProcessors().clear();
        }
        return bean;
    }

    /** The processors to register without starting them; empty on a query node. */
    Map<String, EventProcessorProperties.ProcessorSettings> taken() {
        return taken;
    }
}
