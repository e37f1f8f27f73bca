package io.convtrail.query;

import io.convtrail.query.audit.AuditProjection;
import io.convtrail.query.trace.TraceProjection;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Configuration;

/**
 * A projection that fails on an event must not move on: Axon's default handler error policy logs
 * and skips the event, which would commit the token past a row that was never written. Propagating
 * the error rolls back the batch (rows and token together) and the processor retries it.
 */
@Configuration(proxyBeanMethods = false)
public class ProjectionConfiguration {

    @Autowired
    void failBatchesOnHandlerErrors(EventProcessingConfigurer processing) {
        for (String group : new String[]{AuditProjection.PROCESSING_GROUP, TraceProjection.PROCESSING_GROUP}) {
            processing.registerListenerInvocationErrorHandler(group, configuration -> PropagatingErrorHandler.instance());
        }
    }
}
