package io.convtrail.app.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.micrometer.GlobalMetricRegistry;
import org.axonframework.monitoring.MessageMonitor;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our monitors against Axon's dimensional ones, fed the same messages: the same series with the same
 * tags, counting the same; only ignored messages are no longer timed (so there is no ignoredTimer, and
 * allTimer counts the handled ones).
 */
class AxonMessageMetricsTest {

    record LoanRequested() {
    }

    record OfferMade() {
    }

    enum Outcome { SUCCESS, FAILURE, IGNORED }

    @Test
    void anEventProcessorKeepsAxonsSeriesTagsAndCounts() {
        List<Map.Entry<Message<?>, Outcome>> messages = List.of(
                Map.entry(GenericEventMessage.asEventMessage(new LoanRequested()), Outcome.SUCCESS),
                Map.entry(GenericEventMessage.asEventMessage(new LoanRequested()), Outcome.IGNORED),
                Map.entry(GenericEventMessage.asEventMessage(new OfferMade()), Outcome.SUCCESS),
                Map.entry(GenericEventMessage.asEventMessage(new OfferMade()), Outcome.FAILURE),
                Map.entry(GenericEventMessage.asEventMessage(new OfferMade()), Outcome.IGNORED),
                Map.entry(GenericEventMessage.asEventMessage(new LoanRequested()), Outcome.SUCCESS));

        Registries both = Registries.feed(TrackingEventProcessor.class, "audit", messages);

        both.assertSameSeriesAndCounts();
        assertThat(both.ours.find("eventProcessor.successCounter")
                .tags("processorName", "audit", "payloadType", "LoanRequested").counter().count()).isEqualTo(2);
        assertThat(both.ours.find("eventProcessor.ignoredCounter")
                .tags("processorName", "audit", "payloadType", "OfferMade").counter().count()).isEqualTo(1);
        assertThat(both.ours.find("eventProcessor.latency").tags("processorName", "audit").gauge()).isNotNull();
        assertThat(both.ours.find("eventProcessor.capacity")
                .tags("processorName", "audit", "payloadType", "OfferMade").gauge().value()).isGreaterThan(0);
    }

    @Test
    void theCommandBusAndTheEventStoreKeepAxonsSeriesTagsAndCounts() {
        Registries bus = Registries.feed(SimpleCommandBus.class, "commandBus", List.of(
                Map.entry(GenericCommandMessage.asCommandMessage(new LoanRequested()), Outcome.SUCCESS),
                Map.entry(GenericCommandMessage.asCommandMessage(new OfferMade()), Outcome.FAILURE)));
        bus.assertSameSeriesAndCounts();
        assertThat(bus.ours.find("commandBus.successCounter").tags("payloadType", "LoanRequested").counter().count())
                .isEqualTo(1);

        Registries store = Registries.feed(EmbeddedEventStore.class, "eventStore", List.of(
                Map.entry(GenericEventMessage.asEventMessage(new LoanRequested()), Outcome.SUCCESS),
                Map.entry(GenericEventMessage.asEventMessage(new OfferMade()), Outcome.SUCCESS)));
        store.assertSameSeriesAndCounts();
        assertThat(store.ours.find("eventStore.ingestedCounter").counter().count()).isEqualTo(2);
    }

    @Test
    void theLatencyGaugeIsTheAgeOfTheLastEventTakenIn() {
        MeterRegistry registry = new SimpleMeterRegistry();
        MessageMonitor<Message<?>> monitor = new AxonMessageMetrics(new GlobalMetricRegistry(registry))
                .monitorFor(TrackingEventProcessor.class, "trace");
        monitor.onMessageIngested(new GenericEventMessage<>(UUID.randomUUID().toString(), new OfferMade(), Map.of(),
                Instant.now().minusSeconds(30))).reportSuccess();

        assertThat(registry.find("eventProcessor.latency").tags("processorName", "trace").gauge().value())
                .isBetween(30_000.0, 40_000.0);
    }

    @Test
    void aProcessorsBatchIsCountedPerEventAndTimedOncePerPayloadTypeWhenItEnds() {
        MeterRegistry registry = new SimpleMeterRegistry();
        MessageMonitor<Message<?>> monitor = new AxonMessageMetrics(new GlobalMetricRegistry(registry))
                .monitorFor(TrackingEventProcessor.class, "audit");
        Function<String, Counter> counter = type -> registry.find("eventProcessor.successCounter")
                .tags("processorName", "audit", "payloadType", type).counter();
        Function<String, Timer> timer = type -> registry.find("eventProcessor.successTimer")
                .tags("processorName", "audit", "payloadType", type).timer();
        List<EventMessage<?>> events = List.of(GenericEventMessage.asEventMessage(new LoanRequested()),
                GenericEventMessage.asEventMessage(new OfferMade()),
                GenericEventMessage.asEventMessage(new LoanRequested()));
        List<Double> countedDuringTheBatch = new ArrayList<>();

        for (int batch = 0; batch < 2; batch++) {
            new BatchingUnitOfWork<>(events).executeWithResult(() -> {
                monitor.onMessageIngested(CurrentUnitOfWork.get().getMessage()).reportSuccess();
                countedDuringTheBatch.add(counter.apply("LoanRequested").count());
                return null;
            });
        }

        assertThat(countedDuringTheBatch).as("recorded when each batch ended").containsExactly(0.0, 0.0, 0.0, 2.0, 2.0, 2.0);
        assertThat(counter.apply("LoanRequested").count()).isEqualTo(4);
        assertThat(counter.apply("OfferMade").count()).isEqualTo(2);
        assertThat(timer.apply("LoanRequested").count()).as("one sample per batch").isEqualTo(2);
        assertThat(timer.apply("OfferMade").count()).isEqualTo(2);
        assertThat(registry.find("eventProcessor.ingestedCounter")
                .tags("processorName", "audit", "payloadType", "LoanRequested").counter().count()).isEqualTo(4);
        assertThat(registry.find("eventProcessor.latency").tags("processorName", "audit").gauge().value())
                .isBetween(0.0, 10_000.0);
    }

    @Test
    void aRolledBackBatchCountsItsFailure() {
        MeterRegistry registry = new SimpleMeterRegistry();
        MessageMonitor<Message<?>> monitor = new AxonMessageMetrics(new GlobalMetricRegistry(registry))
                .monitorFor(TrackingEventProcessor.class, "trace");

        new BatchingUnitOfWork<>(List.of(GenericEventMessage.asEventMessage(new OfferMade()))).executeWithResult(() -> {
            monitor.onMessageIngested(CurrentUnitOfWork.get().getMessage()).reportFailure(new IllegalStateException("x"));
            throw new IllegalStateException("refused");
        });

        assertThat(registry.find("eventProcessor.failureCounter")
                .tags("processorName", "trace", "payloadType", "OfferMade").counter().count()).isEqualTo(1);
        assertThat(registry.find("eventProcessor.failureTimer")
                .tags("processorName", "trace", "payloadType", "OfferMade").timer().count()).isEqualTo(1);
        assertThat(registry.find("eventProcessor.successCounter")
                .tags("processorName", "trace", "payloadType", "OfferMade").counter().count()).isZero();
    }

    private record Registries(MeterRegistry ours, MeterRegistry axons) {

        @SuppressWarnings("unchecked")
        static Registries feed(Class<?> componentType, String name, List<Map.Entry<Message<?>, Outcome>> messages) {
            Registries registries = new Registries(new SimpleMeterRegistry(), new SimpleMeterRegistry());
            MessageMonitor<Message<?>> ours = new AxonMessageMetrics(new GlobalMetricRegistry(registries.ours))
                    .monitorFor(componentType, name);
            MessageMonitor<Message<?>> axons = (MessageMonitor<Message<?>>) new GlobalMetricRegistry(registries.axons)
                    .registerComponentWithDefaultTags(componentType, name);
            for (Map.Entry<Message<?>, Outcome> message : messages) {
                for (MessageMonitor<Message<?>> monitor : List.of(ours, axons)) {
                    MessageMonitor.MonitorCallback callback = monitor.onMessageIngested(message.getKey());
                    switch (message.getValue()) {
                        case SUCCESS -> callback.reportSuccess();
                        case FAILURE -> callback.reportFailure(new IllegalStateException("refused"));
                        case IGNORED -> callback.reportIgnored();
                    }
                }
            }
            return registries;
        }

        void assertSameSeriesAndCounts() {
            Map<String, Double> expected = counts(axons);
            expected.keySet().removeIf(id -> id.contains(".ignoredTimer"));
            Map<String, Double> actual = counts(ours);
            assertThat(actual.keySet()).isEqualTo(expected.keySet());
            expected.forEach((id, count) -> {
                if (id.contains(".allTimer")) {
                    String ignored = id.replace(".allTimer", ".ignoredTimer");
                    count -= counts(axons).get(ignored);
                }
                if (!id.contains(".capacity") && !id.contains(".latency")) {
                    assertThat(actual.get(id)).as(id).isEqualTo(count);
                }
            });
        }

        /** Each meter (name and tags) with what it counted: a counter's count, a timer's count, a gauge's id. */
        private static Map<String, Double> counts(MeterRegistry registry) {
            Function<Meter, Double> count = meter -> meter instanceof Counter counter ? counter.count()
                    : meter instanceof Timer timer ? (double) timer.count() : 0.0;
            return registry.getMeters().stream().collect(Collectors.toMap(
                    meter -> meter.getId().getName() + new TreeMap<>(meter.getId().getTags().stream()
                            .collect(Collectors.toMap(tag -> tag.getKey(), tag -> tag.getValue()))),
                    count, (a, b) -> a, TreeMap::new));
        }
    }
}
