package io.convtrail.query.projection;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Tells readers on this node that a projection committed a batch, and the token it committed for
 * which segment, so a read waiting for the read model wakes at once and checks in memory instead of
 * querying the database at every commit. Only this node's commits are seen: readers still look at
 * the stored tokens, slowly, for batches other nodes commit.
 */
@Component
public class ProjectionCommits {

    private static final String REGISTERED = ProjectionCommits.class.getName();

    private final ConcurrentMap<String, Signal> signals = new ConcurrentHashMap<>();

    /** A counter of commits, the last token committed per segment, and the monitor readers wait on. */
    private static final class Signal {
        private long commits;
        private final Map<Integer, TrackingToken> committed = new HashMap<>();
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

    /** Whether a batch this node committed for the segment has passed the event at {@code globalIndex}. */
    public boolean passed(String processor, int segment, long globalIndex) {
        Signal signal = signal(processor);
        synchronized (signal) {
            return ProjectionTokens.covers(signal.committed.get(segment), globalIndex);
        }
    }

    /** Forgets the committed tokens after the projection's tokens were reset: they are ahead of the replay. */
    public void forget(String processor) {
        Signal signal = signal(processor);
        synchronized (signal) {
            signal.committed.clear();
        }
    }

    /**
     * Registers one after-commit callback per batch (unit of work) of the processor. The segment and
     * the token the batch stores are the resources Axon's tracking processor gives its batches;
     * without them (another kind of processor) readers wake but learn nothing and poll instead.
     */
    MessageHandlerInterceptor<EventMessage<?>> interceptor(String processor) {
        String segmentKey = "Processor[" + processor + "]/SegmentId";
        String tokenKey = "Processor[" + processor + "]/Token";
        return (unitOfWork, chain) -> {
            UnitOfWork<?> batch = unitOfWork.root();
            if (batch.resources().putIfAbsent(REGISTERED, Boolean.TRUE) == null) {
                batch.afterCommit(committed -> committed(processor, committed.getResource(segmentKey),
                        committed.getResource(tokenKey)));
            }
            return chain.proceed();
        };
    }

    /**
     * Marks a batch whose processor reports its commit itself ({@link #committed(String, Map)}: a reader that
     * stores several segments' tokens in one batch), so that the interceptor registers no second callback.
     */
    public static void reportedByProcessor(UnitOfWork<?> batch) {
        batch.resources().put(REGISTERED, Boolean.TRUE);
    }

    /** A batch of the projection committed the tokens of these segments (one batch may store several). */
    public void committed(String processor, Map<Integer, TrackingToken> tokens) {
        Signal signal = signal(processor);
        synchronized (signal) {
            signal.commits++;
            tokens.forEach((segment, token) -> {
                if (token != null) {
                    signal.committed.put(segment, token);
                }
            });
            signal.notifyAll();
        }
    }

    /** A batch of the projection committed outside its processor (a rebuild's page written directly). */
    public void committed(String processor) {
        committed(processor, null, null);
    }

    private void committed(String processor, Integer segment, TrackingToken token) {
        Signal signal = signal(processor);
        synchronized (signal) {
            signal.commits++;
            if (segment != null && token != null) {
                signal.committed.put(segment, token);
            }
            signal.notifyAll();
        }
    }

    private Signal signal(String processor) {
        return signals.computeIfAbsent(processor, name -> new Signal());
    }
}
