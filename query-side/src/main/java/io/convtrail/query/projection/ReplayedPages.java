package io.convtrail.query.projection;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;

import java.util.List;

/**
 * A projection that writes a rebuild's page of replayed events itself: the same rows its event handlers
 * and its batch write ({@link ProjectionBatches}) give, without Axon's unit of work, interceptor chain and
 * handler lookup for every event (about a quarter of a rebuild's CPU in the service). Only for a page whose
 * events are all replays, none pushed live and none traced, that has not failed before: a page that fails
 * here is applied again through the processor's handlers and interceptors, which isolate and quarantine
 * the event at fault as live processing does.
 */
public interface ReplayedPages {

    /** The processing group whose processor's handlers this stands in for. */
    String processingGroup();

    /**
     * Writes the rows of {@code events} (stored events, all replays, each one the projection's handlers
     * take, in global order) in the caller's transaction; throws if an event or the write fails.
     */
    void writeReplayed(List<? extends DomainEventMessage<?>> events);

    /** Thrown for an event the projection does not write this way: the page goes through the handlers. */
    final class NotHandledHere extends IllegalStateException {
        public NotHandledHere(EventMessage<?> event) {
            super("no replayed-page writer for " + event.getPayloadType().getName());
        }
    }
}
