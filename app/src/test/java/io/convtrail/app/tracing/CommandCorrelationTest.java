package io.convtrail.app.tracing;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The events a command causes inherit its trace and Axon's correlation; an event handled by a projection
 * passes nothing on and its stored metadata is not read for it (one deserialisation per event saved).
 */
class CommandCorrelationTest {

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void aCommandsTraceAndCorrelationArePassedOn() {
        GenericCommandMessage<String> command = new GenericCommandMessage<>("turn")
                .andMetaData(Map.of(TurnTracing.METADATA_KEY, TRACEPARENT));

        assertThat(new CommandCorrelation(new SimpleCorrelationDataProvider(TurnTracing.METADATA_KEY))
                .correlationDataFor(command)).isEqualTo(Map.of(TurnTracing.METADATA_KEY, TRACEPARENT));
        assertThat(new CommandCorrelation(new MessageOriginProvider()).correlationDataFor(command).get("correlationId"))
                .isEqualTo(command.getIdentifier());
    }

    @Test
    void anEventsMetadataIsNotReadForCorrelation() {
        AtomicInteger reads = new AtomicInteger();
        GenericEventMessage<String> event = new GenericEventMessage<>("stage",
                Map.of(TurnTracing.METADATA_KEY, TRACEPARENT)) {
            @Override
            public MetaData getMetaData() {
                reads.incrementAndGet();
                return super.getMetaData();
            }
        };

        assertThat(new CommandCorrelation(new SimpleCorrelationDataProvider(TurnTracing.METADATA_KEY))
                .correlationDataFor(event)).isEmpty();
        assertThat(new CommandCorrelation(new MessageOriginProvider()).correlationDataFor(event)).isEmpty();
        assertThat(reads).hasValue(0);
    }
}
