package io.convtrail.query.projection;

import io.convtrail.query.store.EventPositions;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;

/** Builds the interceptors every projection's processor runs its events through. */
@Component
public class ProjectionGuards {

    private final ProjectionCommits commits;
    private final ProjectionQuarantine quarantine;
    private final EventPositions positions;
    private final TransactionTemplate savepoint;
    private final Clock clock;

    public ProjectionGuards(ProjectionCommits commits, ProjectionQuarantine quarantine, EventPositions positions,
                            PlatformTransactionManager transactions, Clock clock) {
        this.commits = commits;
        this.quarantine = quarantine;
        this.positions = positions;
        this.clock = clock;
        // nested: a savepoint inside the batch's transaction, which the projection's JDBC calls join
        this.savepoint = new TransactionTemplate(transactions);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    public MessageHandlerInterceptor<EventMessage<?>> commitSignal(String processor) {
        return commits.interceptor(processor);
    }

    public MessageHandlerInterceptor<EventMessage<?>> quarantine(String processor) {
        return new QuarantineInterceptor(processor, quarantine, positions, savepoint, clock);
    }
}
