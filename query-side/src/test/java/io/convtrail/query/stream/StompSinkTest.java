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
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.MappingJackson2MessageConverter;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompDecoder;
import org.springframework.messaging.simp.stomp.StompEncoder;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.MimeType;
import org.springframework.util.unit.DataSize;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * STOMP subscriptions fed by the hub, each written by its own sender straight to its session (here a
 * recording stand-in, whose messages Spring's {@code StompDecoder} reads as a client would): every
 * session gets its frames in sequence order, each event is encoded once for all of them and the frames
 * are the ones Spring's {@code StompEncoder} writes for the same headers, and a session whose writes
 * block holds up no other session and no projection; it overflows and continues from its last sent event.
 */
class StompSinkTest {

    static final int BUFFER = 8;

    final UUID conversationId = UUID.randomUUID();
    final ConversationStreamHubTest.ReadModel readModel = new ConversationStreamHubTest.ReadModel();
    final SimpleQueryUpdateEmitter emitter = SimpleQueryUpdateEmitter.builder().build();
    final SimpleQueryBus bus = SimpleQueryBus.builder().queryUpdateEmitter(emitter).build();
    final ConversationStreamHub hub;
    final AtomicInteger encodings = new AtomicInteger();
    final MappingJackson2MessageConverter converter = new MappingJackson2MessageConverter() {
        @Override
        protected Object convertToInternal(Object payload, MessageHeaders headers, Object conversionHint) {
            encodings.incrementAndGet();
            return super.convertToInternal(payload, headers, conversionHint);
        }
    };
    final StompPayloads payloads;
    /** Frames written to each session, as a client decodes them; its WebSocket messages in {@link #messages}. */
    final Map<String, List<Message<byte[]>>> sent = new ConcurrentHashMap<>();
    final Map<String, List<byte[]>> messages = new ConcurrentHashMap<>();
    final CountDownLatch stuckUntil = new CountDownLatch(1);

    StompSinkTest() {
        new AnnotationQueryHandlerAdapter<>(readModel).subscribe(bus);
        hub = new ConversationStreamHub(DefaultQueryGateway.builder().queryBus(bus).build(), readModel,
                new StreamProperties(List.of(), BUFFER, 256,
                        new StreamProperties.Sse(Duration.ofSeconds(15), Duration.ofMinutes(30)),
                        new StreamProperties.Stomp(StreamProperties.Broker.SIMPLE, null, DataSize.ofMegabytes(1),
                                Duration.ofSeconds(10), 0)));
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

    /** What {@link StompSessions} is to the sink: writes to the session; "stuck" blocks like a full socket. */
    final StompSink.Sessions sessions = (session, frames) -> {
        if (session.equals("stuck")) {
            try {
                stuckUntil.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        messages.computeIfAbsent(session, s -> new CopyOnWriteArrayList<>()).add(frames.getPayload());
        sent.computeIfAbsent(session, s -> new CopyOnWriteArrayList<>())
                .addAll(new StompDecoder().decode(ByteBuffer.wrap(frames.getPayload())));
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
        assertThat(encodings.get()).as("events encoded, for 20 sessions").isEqualTo(100);
        Set<String> messageIds = new HashSet<>();
        for (int session = 0; session < 20; session++) {
            List<Message<byte[]>> frames = sent.get("s" + session);
            assertThat(frames).extracting(StompSinkTest::sequence)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, 100).boxed().toList());
            StompHeaderAccessor headers = StompHeaderAccessor.wrap(frames.get(0));
            assertThat(headers.getCommand()).isEqualTo(StompCommand.MESSAGE);
            assertThat(headers.getSubscriptionId()).isEqualTo("sub-" + session);
            assertThat(headers.getDestination()).isEqualTo("/topic/convengine/audit/" + conversationId);
            frames.forEach(frame -> messageIds.add(StompHeaderAccessor.wrap(frame).getMessageId()));
        }
        assertThat(messageIds).as("message ids, unique").hasSize(20 * 100);
        // byte for byte the frame Spring's STOMP handler wrote for the same headers and message id
        byte[] written = messages.get("s0").get(0);
        Message<byte[]> first = sent.get("s0").get(0);
        assertThat(new String(written, 0, lengthOfFirstFrame(written), StandardCharsets.UTF_8))
                .isEqualTo(springsFrame(event(1), "sub-0", StompHeaderAccessor.wrap(first).getMessageId()));
    }

    @Test
    void byDefaultEachFrameIsAMessageOfItsOwnAsConvEnginesBrokerSendsThem() throws Exception {
        StompSink sink = sink("single", "sub-1", lastSent -> { });
        for (long sequence = 1; sequence <= 5; sequence++) {
            sink.event(event(sequence));
        }
        sink.flush();
        assertThat(messages.get("single")).hasSize(5)
                .allSatisfy(message -> assertThat(new StompDecoder().decode(ByteBuffer.wrap(message))).hasSize(1));
        assertThat(sent.get("single")).extracting(StompSinkTest::sequence).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void whatASenderFindsWaitingLeavesAsOneMessageOfSeveralFramesWhenJoiningIsOn() throws Exception {
        StompSink sink = new StompSink(sessions, payloads, StreamProperties.Stomp.MAX_JOINED_BYTES, "batch", "sub:1\\x",
                lastSent -> { });
        for (long sequence = 1; sequence <= 5; sequence++) {
            sink.event(event(sequence));
        }
        assertThat(messages.get("batch")).as("nothing written before the sender run ends").isNull();
        sink.flush();
        assertThat(messages.get("batch")).hasSize(1);
        assertThat(sent.get("batch")).extracting(StompSinkTest::sequence).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(sent.get("batch")).allSatisfy(frame -> assertThat(StompHeaderAccessor.wrap(frame).getSubscriptionId())
                .as("the subscription id, escaped on the wire").isEqualTo("sub:1\\x"));
        StringBuilder expected = new StringBuilder();
        for (Message<byte[]> frame : sent.get("batch")) {
            expected.append(springsFrame(event(sequence(frame)), "sub:1\\x", StompHeaderAccessor.wrap(frame).getMessageId()));
        }
        assertThat(new String(messages.get("batch").get(0), StandardCharsets.UTF_8)).isEqualTo(expected.toString());

        // a long run leaves in messages a Java client takes (Tomcat's client refuses text over 8 KB)
        for (long sequence = 6; sequence <= 200; sequence++) {
            sink.event(event(sequence));
        }
        sink.flush();
        assertThat(messages.get("batch")).hasSizeGreaterThan(2)
                .allSatisfy(message -> assertThat(message.length).isLessThanOrEqualTo(StreamProperties.Stomp.MAX_JOINED_BYTES));
        assertThat(sent.get("batch")).extracting(StompSinkTest::sequence)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 200).boxed().toList());
    }

    /** The MESSAGE frame Spring's {@code StompSubProtocolHandler} wrote for a conversation topic's message before. */
    private String springsFrame(StreamEvent event, String subscription, String messageId) {
        Message<?> converted = converter.toMessage(event.envelope(), null);
        SimpMessageHeaderAccessor simp = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
        simp.setNativeHeader(StompSink.SEQUENCE_HEADER, Long.toString(event.sequence()));
        simp.setSessionId("s");
        simp.setSubscriptionId(subscription);
        simp.setDestination("/topic/convengine/audit/" + conversationId);
        simp.setContentType((MimeType) converted.getHeaders().get(MessageHeaders.CONTENT_TYPE));
        StompHeaderAccessor stomp = StompHeaderAccessor.wrap(
                MessageBuilder.createMessage(converted.getPayload(), simp.getMessageHeaders()));
        stomp.updateStompCommandAsServerMessage();
        stomp.setNativeHeader(StompHeaderAccessor.STOMP_MESSAGE_ID_HEADER, messageId);
        return new String(new StompEncoder().encode(stomp.getMessageHeaders(), (byte[]) converted.getPayload()),
                StandardCharsets.UTF_8);
    }

    private static int lengthOfFirstFrame(byte[] message) {
        for (int i = 0; i < message.length; i++) {
            if (message[i] == 0) {
                return i + 1;
            }
        }
        return message.length;
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
        assertThat(sent.get("stuck")).isNull();
        // the feed continues after what the blocked write carries, which still arrives, once, and in order
        assertThat(stuckResumesAfter.get()).isPositive();
        stuckUntil.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> sent.containsKey("stuck"));
        assertThat(sent.get("stuck")).extracting(StompSinkTest::sequence)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, stuckResumesAfter.get()).boxed().toList());
    }

    private StompSink sink(String session, String subscription, java.util.function.LongConsumer onOverflow) {
        return new StompSink(sessions, payloads, 0, session, subscription, onOverflow);
    }

    private static long sequence(Message<byte[]> message) {
        return Long.parseLong(StompHeaderAccessor.wrap(message).getFirstNativeHeader(StompSink.SEQUENCE_HEADER));
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
