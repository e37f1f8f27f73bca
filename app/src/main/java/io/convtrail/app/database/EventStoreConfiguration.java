package io.convtrail.app.database;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import java.util.concurrent.TimeUnit;

/**
 * Axon's JDBC event store exactly as its Spring Boot auto-configuration builds it, except that the
 * events of one commit are appended with one statement ({@link MultiRowAppend}), a tracked event's timestamp
 * is parsed once ({@link ParsedTimestampStorageEngine}), and that the store's
 * reader looks for other nodes' events every {@link EventStoreProperties#pollInterval()} instead of
 * every second. The schema is Axon's default ({@code V1__event_store.sql}) unless a bean says otherwise:
 * Axon defines its own only when it builds the engine itself.
 */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EventStoreProperties.class)
class EventStoreConfiguration {

    /**
     * The event bus and store, as Axon's auto-configuration builds it (same bean name, qualifier, monitor and
     * spans), with the reader's wait between looks for events it was not told about. The processors at the head
     * share this reader: it reads at once when this node commits events, and otherwise only when the wait ends,
     * so with Axon's second a projection on a query node saw a command node's events up to a second late.
     */
    @Bean("eventBus")
    @Qualifier("eventStore")
    EmbeddedEventStore eventStore(EventStorageEngine storageEngine, Configuration configuration,
                                  EventStoreProperties properties) {
        return EmbeddedEventStore.builder()
                .storageEngine(storageEngine)
                .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(configuration.getComponent(EventBusSpanFactory.class))
                .fetchDelay(properties.pollInterval().toMillis())
                .timeUnit(TimeUnit.MILLISECONDS)
                .build();
    }

    /** One stream that keeps the store's shared reader reading (see {@link SharedReaderAnchor}). */
    @Bean
    SharedReaderAnchor sharedReaderAnchor(EmbeddedEventStore eventStore) {
        return new SharedReaderAnchor(eventStore);
    }

    @Bean
    EventStorageEngine eventStorageEngine(Serializer defaultSerializer,
                                          PersistenceExceptionResolver persistenceExceptionResolver,
                                          @Qualifier("eventSerializer") Serializer eventSerializer,
                                          Configuration configuration, ConnectionProvider connectionProvider,
                                          TransactionManager transactionManager,
                                          ObjectProvider<EventSchema> eventSchema) {
        return new ParsedTimestampStorageEngine(ParsedTimestampStorageEngine.withGapSettings()
                .snapshotSerializer(defaultSerializer)
                .upcasterChain(configuration.upcasterChain())
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .eventSerializer(eventSerializer)
                .snapshotFilter(configuration.snapshotFilter())
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                .appendEvents(new MultiRowAppend()), eventSchema.getIfAvailable(EventSchema::new));
    }
}
