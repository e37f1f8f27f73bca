package io.convtrail.app.fault;

import com.fasterxml.jackson.databind.JsonNode;
import io.convtrail.app.console.CuttableProxy;
import io.convtrail.app.stream.SseTestClient;
import io.convtrail.app.stream.StompConnect;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;

import java.lang.reflect.Type;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes of the built jar on one PostgreSQL, both with {@code convtrail.stream.stomp.broker=relay} to
 * the system RabbitMQ's STOMP plugin; node B reaches it through a proxy the test can cut. Node A starts
 * first and projects (it holds every segment), so what a STOMP subscriber on B receives came through the
 * broker: the complete, ordered stream of turns run on A, equal to the raw audit, each event once. With
 * B's broker connection cut, B's STOMP clients are told and disconnected, its health shows the broker
 * DOWN while staying in service, and it still runs turns and serves SSE; once the broker is back, STOMP
 * clients reconnect, a plain SUBSCRIBE is fed live again and a {@code last-event-id} one resumes without
 * a gap.
 */
@ExtendWith(RabbitStomp.class)
class BrokerRelayIT {

    private static final Path HOME = Path.of("target", "fault", "relay-" + UUID.randomUUID().toString().substring(0, 8));
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> DIALOG = List.of("hello", "What are your interest rates?",
            "I want to apply for a loan");

    private static SharedPostgres postgres;
    private static String[] database;
    private static CuttableProxy brokerOfB;
    private static ServiceProcess a;
    private static ServiceProcess b;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void startNodes() throws Exception {
        postgres = SharedPostgres.open(HOME);
        database = postgres.args();
        brokerOfB = new CuttableProxy(RabbitStomp.STOMP_PORT);
        a = node("node-a", RabbitStomp.STOMP_PORT);
        b = node("node-b", brokerOfB.port());
    }

    @AfterAll
    static void stopNodes() throws Exception {
        for (ServiceProcess node : new ServiceProcess[]{a, b}) {
            if (node != null) {
                node.close();
            }
        }
        if (brokerOfB != null) {
            brokerOfB.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void stompThroughRabbitMqAcrossNodesAndThroughABrokerOutage() throws Exception {
        UUID id = UUID.randomUUID();
        FaultClient onA = new FaultClient(a.baseUrl());
        FaultClient onB = new FaultClient(b.baseUrl());
        awaitBroker(onB, "UP");

        Subscriber plainOnB = Subscriber.on(b, id, null);
        Thread.sleep(500); // the broker has bound B's subscription before the first turn
        for (String message : DIALOG) {
            assertThat(onA.turn(id, message).status()).as("turn '%s' on node A", message).isEqualTo(200);
        }
        long head = onB.verify(id).get("headSequence").asLong();
        plainOnB.awaitSequence(head);
        assertThat(plainOnB.sequences).as("through the broker, each event once, in order")
                .containsExactlyElementsOf(LongStream.rangeClosed(1, head).boxed().toList());
        assertThat(ScaleOutIT.audited(plainOnB.bodies)).as("STOMP = raw audit").containsExactlyElementsOf(rawAudit(onB, id));
        assertThat(plainOnB.destinations).as("clients see the topic they subscribed to")
                .containsOnly("/topic/convengine/audit/" + id);
        System.out.printf("BrokerRelayIT: %d turns on node A, %d events to a STOMP subscriber on B through RabbitMQ%n",
                DIALOG.size(), head);

        brokerOfB.cut();
        long cutAt = System.nanoTime();
        assertThat(plainOnB.ended.await(10, TimeUnit.SECONDS)).as("B's STOMP session ends with the broker").isTrue();
        assertThat(plainOnB.errors).as("an ERROR frame says why").isNotEmpty();
        JsonNode health = awaitBroker(onB, "DOWN");
        assertThat(health.get("status").asText()).as("in service: HTTP 200, DEGRADED").isEqualTo("DEGRADED");
        assertThat(health.at("/components/db/status").asText()).isEqualTo("UP");
        System.out.printf("BrokerRelayIT: broker cut; B's health showed it DOWN after %d ms%n",
                Duration.ofNanos(System.nanoTime() - cutAt).toMillis());

        String refusal;
        try {
            Subscriber.on(b, id, null).close();
            refusal = "connected";
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            refusal = e.toString();
        }
        System.out.println("BrokerRelayIT: a STOMP CONNECT to B during the outage: " + refusal);
        assertThat(refusal).as("no STOMP session through a broker that is away").isNotEqualTo("connected");

        UUID other = UUID.randomUUID();
        try (SseTestClient sseOnB = SseTestClient.open(http, URI.create(b.baseUrl() + "/api/v1/conversation/stream/" + other),
                Map.of())) {
            assertThat(sseOnB.next(WAIT).name()).isEqualTo("CONNECTED");
            assertThat(onB.turn(other, "hello").status()).as("a turn on B while its broker is away").isEqualTo(200);
            long otherHead = onB.verify(other).get("headSequence").asLong();
            assertThat(sseOnB.upTo(otherHead, WAIT)).extracting(SseTestClient.Event::sequence)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, otherHead).boxed().toList());
        }
        assertThat(onA.turn(id, "10000").status()).as("a turn on A, published while B is cut off").isEqualTo(200);

        brokerOfB.restore();
        awaitBroker(onB, "UP");
        Subscriber resumedOnB = Subscriber.on(b, id, head);
        Subscriber againOnB = Subscriber.on(b, id, null);
        Thread.sleep(500);
        long missedUpTo = onB.verify(id).get("headSequence").asLong();
        assertThat(onA.turn(id, "36").status()).isEqualTo(200);
        long last = onB.verify(id).get("headSequence").asLong();
        resumedOnB.awaitSequence(last);
        againOnB.awaitSequence(last);
        assertThat(resumedOnB.sequences).as("resumed after %d: the missed events, then live", head)
                .containsExactlyElementsOf(LongStream.rangeClosed(head + 1, last).boxed().toList());
        assertThat(againOnB.sequences).as("a plain SUBSCRIBE after the outage: fed live through the broker")
                .containsExactlyElementsOf(LongStream.rangeClosed(missedUpTo + 1, last).boxed().toList());
        resumedOnB.close();
        againOnB.close();
        for (ServiceProcess node : List.of(a, b)) {
            // Spring's relay logs at ERROR a client's DISCONNECT frame that races with the DISCONNECT it sends
            // itself when that client's WebSocket closes (the broker connection is gone by the second one)
            assertThat(node.logLines()).as(node.log().toString()).noneMatch(line -> line.contains(" ERROR ")
                    && !line.endsWith("Failed to forward DISCONNECT session=" + line.substring(line.lastIndexOf('=') + 1)));
        }
    }

    private static JsonNode awaitBroker(FaultClient node, String state) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode health = node.get("/actuator/health");
        while (!state.equals(health.at("/components/stompBroker/details/broker").asText())) {
            assertThat(System.nanoTime()).as("broker %s in %s", state, health).isLessThan(deadline);
            Thread.sleep(200);
            health = node.get("/actuator/health");
        }
        return health;
    }

    private static List<String> rawAudit(FaultClient node, UUID id) throws Exception {
        return StreamSupport.stream(node.get("/api/v1/conversation/audit/" + id).spliterator(), false)
                .map(row -> row.get("auditId").asLong() + " " + row.get("stage").asText()).toList();
    }

    private static ServiceProcess node(String name, int brokerPort) throws Exception {
        List<String> args = new ArrayList<>(List.of(database));
        args.addAll(List.of("--convtrail.node.name=" + name, "--convtrail.demo-tool.delay=50ms",
                "--convtrail.stream.stomp.broker=relay", "--convtrail.stream.stomp.relay.host=" + RabbitStomp.HOST,
                "--convtrail.stream.stomp.relay.port=" + brokerPort));
        return ServiceProcess.start(HOME.resolve(name + ".log"), ServiceProcess.freePort(), args.toArray(String[]::new));
    }

    /** A STOMP subscription over plain WebSocket: each message's sequence, body and destination; ERROR frames; its end. */
    private static final class Subscriber implements AutoCloseable {
        final List<Long> sequences = new CopyOnWriteArrayList<>();
        final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
        final List<String> destinations = new CopyOnWriteArrayList<>();
        final List<String> errors = new CopyOnWriteArrayList<>();
        final CountDownLatch ended = new CountDownLatch(1);
        private StompSession session;

        static Subscriber on(ServiceProcess node, UUID conversationId, Long lastEventId) throws Exception {
            Subscriber subscriber = new Subscriber();
            String url = node.baseUrl().replace("http://", "ws://") + "/ws-convengine";
            subscriber.session = StompConnect.asAdmin(new WebSocketStompClient(new StandardWebSocketClient()), url,
                    new StompSessionHandlerAdapter() {
                        @Override
                        public void handleFrame(StompHeaders headers, Object payload) {
                            subscriber.errors.add(String.valueOf(headers.getFirst("message")));
                        }

                        @Override
                        public void handleTransportError(StompSession session, Throwable exception) {
                            subscriber.ended.countDown();
                        }
                    }).get(10, TimeUnit.SECONDS);
            StompHeaders subscribe = new StompHeaders();
            subscribe.setDestination("/topic/convengine/audit/" + conversationId);
            if (lastEventId != null) {
                subscribe.add("last-event-id", lastEventId.toString());
            }
            subscriber.session.subscribe(subscribe, new StompFrameHandler() {
                @Override
                public Type getPayloadType(StompHeaders headers) {
                    return byte[].class;
                }

                @Override
                public void handleFrame(StompHeaders headers, Object payload) {
                    subscriber.bodies.add(ScaleOutIT.parse(new String((byte[]) payload, StandardCharsets.UTF_8)));
                    subscriber.sequences.add(Long.parseLong(headers.getFirst("sequence")));
                    subscriber.destinations.add(headers.getDestination());
                }
            });
            return subscriber;
        }

        void awaitSequence(long last) throws InterruptedException {
            await(() -> !sequences.isEmpty() && sequences.get(sequences.size() - 1) >= last);
            Thread.sleep(300); // anything after the last one would be a duplicate
        }

        @Override
        public void close() {
            if (session.isConnected()) {
                session.disconnect();
            }
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }
}
