package io.convtrail.query.stream;

import io.convtrail.api.stream.StreamEvent;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.messaging.MessagingException;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * With {@code convtrail.stream.stomp.broker=relay}, the conversation topics live in the external broker,
 * shared by every node: each event must reach it once, cluster-wide. The node that projects an event
 * publishes it ({@link #publish}, called by the audit projection), after the batch that stored it
 * commits, whether or not anyone subscribes (the broker drops what no queue is bound to); wake-ups
 * from other nodes' projections are never published, since the projecting node did that already.
 * <p>
 * RabbitMQ's STOMP plugin refuses a {@code /topic/} destination with a slash in its routing key, so the
 * broker sees {@code /topic/convengine.audit.<id>} ({@link #toBroker}) and clients keep
 * {@code /topic/convengine/audit/<id>} ({@link #toClient}): {@code StompConfiguration} translates both ways.
 */
@Component
public class BrokerRelay {

    static final String BROKER_PREFIX = "/topic/convengine.audit.";
    private static final String RESOURCE = BrokerRelay.class.getName();
    private static final Logger log = LoggerFactory.getLogger(BrokerRelay.class);

    private final boolean enabled;
    private final ObjectProvider<SimpMessagingTemplate> broker;
    /** Whether the last publication failed, so an outage is logged once, not once per event. */
    private volatile boolean failing;

    public BrokerRelay(StreamProperties properties, ObjectProvider<SimpMessagingTemplate> broker) {
        this.enabled = properties.stomp().broker() == StreamProperties.Broker.RELAY;
        this.broker = broker;
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * Publishes a newly projected event to its topic once the caller's batch commits, in projection
     * order. A no-op with the in-memory broker, where each node feeds its own topics from the hub.
     */
    public void publish(CommittedStreamEvent event) {
        if (!enabled || !StompSink.carries(event.kind())) {
            return;
        }
        if (!CurrentUnitOfWork.isStarted()) {
            send(List.of(event));
            return;
        }
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        List<CommittedStreamEvent> collected = batch.getOrComputeResource(RESOURCE, key -> {
            List<CommittedStreamEvent> events = new ArrayList<>();
            batch.afterCommit(committed -> send(events));
            return events;
        });
        collected.add(event);
    }

    private void send(List<CommittedStreamEvent> committed) {
        SimpMessagingTemplate template = broker.getObject();
        for (CommittedStreamEvent one : committed) {
            StreamEvent event = one.event();
            try {
                template.convertAndSend(toBroker(event.conversationId()), event.envelope(),
                        Map.of(StompSink.SEQUENCE_HEADER, event.sequence()));
                if (failing) {
                    failing = false;
                    log.info("Publishing stream events to the STOMP broker again");
                }
            } catch (MessagingException brokerDown) {
                // the broker's subscribers lost their sessions with it; they resume with last-event-id
                if (!failing) {
                    failing = true;
                    log.warn("STOMP broker unavailable; topic messages are dropped until it is back: {}",
                            brokerDown.getMessage());
                }
            }
        }
    }

    static String toBroker(UUID conversationId) {
        return BROKER_PREFIX + conversationId;
    }

    /** A client's conversation topic as the broker names it; any other destination unchanged. */
    static String toBroker(String clientDestination) {
        UUID conversationId = StompTopicPublisher.conversationOf(clientDestination);
        return conversationId == null ? clientDestination : toBroker(conversationId);
    }

    /** The broker's name of a conversation topic as clients subscribed to it; any other destination unchanged. */
    static String toClient(String brokerDestination) {
        if (brokerDestination == null || !brokerDestination.startsWith(BROKER_PREFIX)) {
            return brokerDestination;
        }
        return StompSink.TOPIC_PREFIX + brokerDestination.substring(BROKER_PREFIX.length());
    }
}
