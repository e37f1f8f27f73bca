package io.convtrail.query.projection;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.springframework.stereotype.Component;

/** Builds the interceptors every projection's processor runs its events through. */
@Component
public class ProjectionGuards {

    private final ProjectionCommits commits;
    private final ProjectionBatches batches;

    public ProjectionGuards(ProjectionCommits commits, ProjectionBatches batches) {
        this.commits = commits;
        this.batches = batches;
    }

    public MessageHandlerInterceptor<EventMessage<?>> commitSignal(String processor) {
        return commits.interceptor(processor);
    }

    public MessageHandlerInterceptor<EventMessage<?>> quarantine(String processor) {
        return new QuarantineInterceptor(processor, batches.held, batches.savepoint);
    }
}
