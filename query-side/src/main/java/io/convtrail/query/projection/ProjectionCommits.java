package io.convtrail.query.projection;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.stereotype.Component;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Tells readers on this node that a projection committed a batch, so a read waiting for the read
 * model wakes at once instead of polling. Only this node's commits are seen: readers still poll,
 * slowly, for batches other nodes commit.
 */
@Component
public class ProjectionCommits {

    private static final String REGISTERED = ProjectionCommits.class.getName();

    private final ConcurrentMap<String, Signal> signals = new ConcurrentHashMap<>();

    /** A counter of commits, and the monitor readers wait on. */
    private static final class Signal {
        private long commits;
    }

    /** How many batches the projection has committed on this node; pass it to {@link #awaitAfter}. */
    public long seen(String processor) {
        Signal signal = signal(processor);
        synchronized (signal) {
            return signal.commits;
        }
    }

    /** Waits until a batch commits after {@code seen}, at most {@code nanos}; answers the new count. */
    public long awaitAfter(String processor, long seen, long nanos) throws InterruptedException {
        Signal signal = signal(processor);
        synchronized (signal) {
            if (signal.commits == seen && nanos > 0) {
                TimeUnit.NANOSECONDS.timedWait(signal, nanos);
            }
            return signal.commits;
        }
    }

    void committed(String processor) {
        Signal signal = signal(processor);
        synchronized (signal) {
            signal.commits++;
            signal.notifyAll();
        }
    }

    /** Registers one after-commit callback per batch (unit of work) of the processor. */
    MessageHandlerInterceptor<EventMessage<?>> interceptor(String processor) {
        return (unitOfWork, chain) -> {
            UnitOfWork<?> batch = unitOfWork.root();
            if (batch.resources().putIfAbsent(REGISTERED, Boolean.TRUE) == null) {
                batch.afterCommit(committed -> committed(processor));
            }
            return chain.proceed();
        };
    }

    private Signal signal(String processor) {
        return signals.computeIfAbsent(processor, name -> new Signal());
    }
}
