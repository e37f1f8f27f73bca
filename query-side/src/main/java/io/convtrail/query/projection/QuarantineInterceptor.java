package io.convtrail.query.projection;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps one event a projection cannot apply from stopping it. A batch (up to 100 events and the
 * token, one transaction) that fails on an event is rolled back as a whole, since PostgreSQL aborts
 * the transaction; the event is remembered as a suspect. When the processor retries the batch, the
 * suspect alone runs inside a savepoint: if it fails again it is rolled back to the savepoint,
 * recorded in the quarantine (same transaction as the rest of the batch and the token), logged in
 * one line, and the batch goes on. Events that never failed pay nothing: no savepoint.
 * <p>
 * Failures of the database as a whole are not the event's fault and are never quarantined; the
 * processor keeps retrying those until the database is back.
 */
final class QuarantineInterceptor implements MessageHandlerInterceptor<EventMessage<?>> {

    private final String processor;
    private final HeldEvents held;
    private final TransactionTemplate savepoint;
    private final Set<String> suspects = ConcurrentHashMap.newKeySet();

    QuarantineInterceptor(String processor, HeldEvents held, TransactionTemplate savepoint) {
        this.processor = processor;
        this.held = held;
        this.savepoint = savepoint;
    }

    @Override
    public Object handle(UnitOfWork<? extends EventMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        EventMessage<?> event = unitOfWork.getMessage();
        if (suspects.contains(event.getIdentifier())) {
            // a suspect stays one until its batch commits: if a later event fails the batch, it is isolated again
            unitOfWork.root().afterCommit(committed -> suspects.remove(event.getIdentifier()));
            return isolated(event, chain);
        }
        try {
            return chain.proceed();
        } catch (Exception e) {
            ProjectionFailure failure = ProjectionFailure.of(e);
            if (failure.transientFailure()) {
                throw e;
            }
            suspects.add(event.getIdentifier());
            throw new ProjectionEventFailedException(processor, event.getIdentifier(), failure);
        }
    }

    private Object isolated(EventMessage<?> event, InterceptorChain chain) throws Exception {
        try {
            return savepoint.execute(status -> {
                try {
                    return chain.proceed();
                } catch (Exception e) {
                    throw new HandlerFailed(e);
                }
            });
        } catch (HandlerFailed failed) {
            ProjectionFailure failure = ProjectionFailure.of(failed.getCause());
            if (failure.transientFailure()) {
                throw (Exception) failed.getCause();
            }
            held.hold(processor, event, failure);
            return null;
        }
    }

    /** Carries a handler's checked exception through the savepoint's callback, which then rolls back. */
    private static final class HandlerFailed extends RuntimeException {
        HandlerFailed(Exception cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }
}
