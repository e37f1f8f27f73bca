package io.convtrail.app.tracing;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.correlation.CorrelationDataProvider;

import java.util.Map;

/**
 * A correlation data provider that answers only while a command is handled: the events a command's
 * aggregate applies inherit its correlation data (its trace, Axon's correlation and trace ids). While an
 * event is handled, which here is always by a projection, it answers nothing. Axon asks the providers
 * for every message made while a message is handled, and a projection's processor makes one for each
 * event it handles (the handler's result, thrown away), so every event's stored metadata was read (a
 * JSON document deserialised, about a tenth of the live projections' CPU) for nothing: a projection
 * sends no message that needs it (the live updates it emits carry the row, and nobody reads their
 * metadata). The rebuild leaves Axon's correlation interceptor out for the same reason.
 */
final class CommandCorrelation implements CorrelationDataProvider {

    private final CorrelationDataProvider delegate;

    CommandCorrelation(CorrelationDataProvider delegate) {
        this.delegate = delegate;
    }

    @Override
    public Map<String, ?> correlationDataFor(Message<?> message) {
        return message instanceof EventMessage<?> ? Map.of() : delegate.correlationDataFor(message);
    }
}
