package io.convtrail.query.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.convtrail.api.query.CommittedStreamEventsQuery;
import io.convtrail.api.stream.StreamEnvelope;
import io.convtrail.api.stream.StreamEvent;
import io.convtrail.api.stream.StreamKind;
import org.axonframework.queryhandling.DefaultQueryGateway;
import org.axonframework.queryhandling.SimpleQueryBus;
import org.axonframework.queryhandling.SimpleQueryUpdateEmitter;
import org.axonframework.queryhandling.annotation.AnnotationQueryHandlerAdapter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHandler;
import org.springframework.messaging.converter.MappingJackson2MessageConverter;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompEncoder;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.util.unit.DataSize;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * STOMP subscriptions fed by the hub, each written by its own sender straight to Spring's
 * sub-protocol handler (here a recording stand-in): every session gets its frames in sequence order,
 * the body is serialised once per event for all of them, and a session whose writes block holds up
 * no other session and no projection; it overflows and continues from its last sent event.
 */
class StompSinkTest {

    static final int BUFFER = 8;

    final UUID conversationId = UUID.randomUUID();
    final ConversationStreamHubTest.ReadModel readModel = new ConversationStreamHubTest.ReadModel();
    final SimpleQueryUpdateEmitter emitter = SimpleQueryUpdateEmitter.builder().build();
    final SimpleQueryBus bus = SimpleQueryBus.builder().queryUpdateEmitter(emitter).build();
    final ConversationStreamHub hub;
    final MappingJackson2MessageConverter converter = new MappingJackson2MessageConverter();
    final StompPayloads payloads;
    /** Messages handed to the sub-protocol handler, by session. */
    final Map<String, List<Message<?>>> sent = new ConcurrentHashMap<>();
    final CountDownLatch stuckUntil = new CountDownLatch(1);

    StompSinkTest() {
        new AnnotationQueryHandlerAdapter<>(readModel).subscribe(bus);
        hub = new ConversationStreamHub(DefaultQueryGateway.builder().queryBus(bus).build(), readModel,
                new StreamProperties(List.of(), BUFFER, 256,
                        new StreamProperties.Sse(Duration.ofSeconds(15), Duration.ofMinutes(30)),
                        new StreamProperties.Stomp(StreamProperties.Broker.SIMPLE, null, DataSize.ofMegabytes(1),
                                Duration.ofSeconds(10))));
        hub.start();
        converter.setObjectMapper(new ObjectMapper());
        payloads = new StompPayloads(converter);
    }

    @AfterEach
    void stop() {
        stuckUntil.countDown();
        hub.stop();
        hub.destroy();
    }

    /** What Spring's {@code SubProtocolWebSocketHandler} is to the sink: writes to the session; "stuck" blocks like a full socket. */
    final MessageHandler sessions = message -> {
        String session = SimpMessageHeaderAccessor.getSessionId(message.getHeaders());
        if (session.equals("stuck")) {
            try {
                stuckUntil.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        sent.computeIfAbsent(session, s -> new CopyOnWriteArrayList<>()).add(message);
    };

    @Test
    void eachSessionGetsItsFramesInOrderWithOneSharedBodyPerEvent() {
        for (int session = 0; session < 20; session++) {
            hub.subscribe(conversationId, 0L, sink("s" + session, "sub-" + session, lastSent -> { }));
        }
        for (long sequence = 1; sequence <= 100; sequence++) {
            project(sequence);
            if (sequence % 5 == 0) {
                long upTo = sequence;
                await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == 20
                        && sent.values().stream().allMatch(messages -> messages.size() == upTo));
            }
        }
        Message<?> first = sent.get("s0").get(0);
        for (int session = 0; session < 20; session++) {
            List<Message<?>> messages = sent.get("s" + session);
            assertThat(messages).extracting(StompSinkTest::sequence)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, 100).boxed().toList());
            assertThat(messages.get(0).getPayload()).as("the first event's body, serialised once").isSameAs(first.getPayload());
            SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.wrap(messages.get(0));
            assertThat(headers.getSubscriptionId()).isEqualTo("sub-" + session);
            assertThat(headers.getDestination()).isEqualTo("/topic/convengine/audit/" + conversationId);
        }
        // the frame as Spring's STOMP handler writes it: the converter's body and content type, the sequence header
        StompHeaderAccessor stomp = StompHeaderAccessor.wrap(first);
        stomp.updateStompCommandAsServerMessage();
        String frame = new String(new StompEncoder().encode(stomp.getMessageHeaders(), (byte[]) first.getPayload()),
                StandardCharsets.UTF_8);
        assertThat(frame).startsWith(StompCommand.MESSAGE.name() + "\n")
                .contains("\nsequence:1\n", "\nsubscription:sub-0\n", "\ncontent-type:application/json\n",
                        "\ndestination:/topic/convengine/audit/" + conversationId + "\n")
                .endsWith("\n\n" + new String(converter.toMessage(event(1).envelope(), null).getPayload() instanceof byte[] b
                        ? b : new byte[0], StandardCharsets.UTF_8) + "\0");
    }

    @Test
    void aSessionWhoseWritesBlockHoldsUpNoOtherSessionAndOverflowsAlone() {
        AtomicLong stuckResumesAfter = new AtomicLong(-1);
        hub.subscribe(conversationId, 0L, sink("fast", "0", lastSent -> { }));
        hub.subscribe(conversationId, 0L, sink("stuck", "0", stuckResumesAfter::set));

        long projectingNanos = 0;
        for (long sequence = 1; sequence <= 200; sequence++) {
            long started = System.nanoTime();
            project(sequence);
            projectingNanos += System.nanoTime() - started;
            if (sequence % 5 == 0) {
                long upTo = sequence;
                await().pollInterval(Duration.ofMillis(2)).atMost(Duration.ofSeconds(5))
                        .until(() -> sent.containsKey("fast") && sent.get("fast").size() == upTo);
            }
        }
        assertThat(projectingNanos / 1_000_000).as("ms projecting 200 events with a stuck session").isLessThan(1_000);
        assertThat(sent.get("fast")).extracting(StompSinkTest::sequence)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 200).boxed().toList());
        await().atMost(Duration.ofSeconds(5)).until(() -> stuckResumesAfter.get() >= 0);
        assertThat(stuckResumesAfter.get()).as("the stuck session's feed continues after what it was sent").isZero();
        assertThat(sent.get("stuck")).isNull();
    }

    private StompSink sink(String session, String subscription, java.util.function.LongConsumer onOverflow) {
        return new StompSink(sessions, payloads, session, subscription, conversationId, onOverflow);
    }

    private static long sequence(Message<?> message) {
        return Long.parseLong(SimpMessageHeaderAccessor.wrap(message).getFirstNativeHeader(StompSink.SEQUENCE_HEADER));
    }

    private void project(long sequence) {
        StreamEvent event = event(sequence);
        readModel.store(event);
        emitter.emit(CommittedStreamEventsQuery.class, query -> true, CommittedStreamEvent.of(event));
    }

    private StreamEvent event(long sequence) {
        StreamEnvelope envelope = new StreamEnvelope(StreamKind.AUDIT, sequence, "USER_INPUT",
                "2026-01-01T00:00:00Z", JsonNodeFactory.instance.objectNode(), null);
        return new StreamEvent(conversationId, sequence, envelope);
    }
}
