package io.convtrail.query;

import io.convtrail.query.audit.AuditProjection;
import io.convtrail.query.index.ConversationIndexProjection;
import io.convtrail.query.projection.ProjectionGuards;
import io.convtrail.query.trace.TraceProjection;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Configuration;

import java.util.List;

/**
 * A projection that fails on an event must not move on silently: Axon's default handler error
 * policy logs and skips the event, which would commit the token past a row that was never written.
 * Propagating the error rolls back the batch (rows and token together) and the processor retries it;
 * the guards then isolate the failing event and quarantine it if it fails again, and tell waiting
 * readers when a batch commits.
 */
@Configuration(proxyBeanMethods = false)
public class ProjectionConfiguration {

    public static final List<String> PROJECTIONS = List.of(AuditProjection.PROCESSING_GROUP,
            TraceProjection.PROCESSING_GROUP, ConversationIndexProjection.PROCESSING_GROUP);

    @Autowired
    void failBatchesOnHandlerErrors(EventProcessingConfigurer processing, ObjectProvider<ProjectionGuards> guards) {
        for (String group : PROJECTIONS) {
            processing.registerListenerInvocationErrorHandler(group, configuration -> PropagatingErrorHandler.instance());
            processing.registerHandlerInterceptor(group, configuration -> guards.getObject().commitSignal(group));
            processing.registerHandlerInterceptor(group, configuration -> guards.getObject().quarantine(group));
        }
    }
}
