package io.convtrail.app.fault;

import com.fasterxml.jackson.databind.JsonNode;
import io.convtrail.app.stream.SseTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes of the built jar on one PostgreSQL, both with {@code convtrail.stream.stomp.broker=relay} to the
 * STOMP plugin of a RabbitMQ this test starts for itself ({@link PrivateRabbitMq}), so that it can stop and
 * restart it. Node A runs both roles and projects everything; B runs commands only and projects
 * nothing, so what a STOMP subscriber on B receives came through the broker: the complete, ordered stream
 * of turns run on A, equal to the raw audit, each event once. With the broker stopped (a real stop, not a
 * cut connection), B's STOMP clients are told and disconnected, its health shows the broker DOWN while
 * staying in service, and it still runs turns and serves SSE; once the broker has restarted, STOMP clients
 * reconnect, a plain SUBSCRIBE is fed live again and a {@code last-event-id} one resumes without a gap.
 */
@ExtendWith(PrivateRabbitMq.Installed.class)
class BrokerRelayIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> DIALOG = List.of("hello", "What are your interest rates?",
            "I want to apply for a loan");

    private static NodeCluster cluster;
    private static PrivateRabbitMq broker;
    private static ServiceProcess a;
    private static ServiceProcess b;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void startNodes() throws Exception {
        cluster = NodeCluster.open("relay");
        broker = PrivateRabbitMq.start(cluster.home());
        // the nodes start side by side while the broker boots: the relay connects once it is up
        CompletableFuture<ServiceProcess> startingB = cluster.startAside("node-b", args("command"));
        a = cluster.start("node-a", args("command,query"));
        b = startingB.join();
        broker.awaitUp();
    }

    @AfterAll
    static void stopNodes() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void stompThroughRabbitMqAcrossNodesAndThroughABrokerOutage() throws Exception {
        UUID id = UUID.randomUUID();
        FaultClient onA = new FaultClient(a.baseUrl());
        FaultClient onB = new FaultClient(b.baseUrl());
        awaitBroker(onB, "UP");
        awaitBroker(onA, "UP"); // A publishes the topic: until its relay is up, it drops topic messages

        StompSubscriber plainOnB = StompSubscriber.on(b, id, null);
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

        broker.stop();
        long cutAt = System.nanoTime();
        assertThat(plainOnB.ended.await(10, TimeUnit.SECONDS)).as("B's STOMP session ends with the broker").isTrue();
        assertThat(plainOnB.errors).as("an ERROR frame says why").isNotEmpty();
        JsonNode health = awaitBroker(onB, "DOWN");
        assertThat(health.get("status").asText()).as("in service: HTTP 200, DEGRADED").isEqualTo("DEGRADED");
        assertThat(health.at("/components/db/status").asText()).isEqualTo("UP");
        System.out.printf("BrokerRelayIT: broker stopped; B's health showed it DOWN after %d ms%n",
                Duration.ofNanos(System.nanoTime() - cutAt).toMillis());

        String refusal;
        try {
            StompSubscriber.on(b, id, null).close();
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
        assertThat(onA.turn(id, "10000").status()).as("a turn on A, while the broker is away").isEqualTo(200);

        long restartAt = System.nanoTime();
        broker.restart();
        awaitBroker(onB, "UP");
        awaitBroker(onA, "UP");
        System.out.printf("BrokerRelayIT: broker restarted; both nodes relay again %d ms later%n",
                Duration.ofNanos(System.nanoTime() - restartAt).toMillis());
        StompSubscriber resumedOnB = StompSubscriber.on(b, id, head);
        StompSubscriber againOnB = StompSubscriber.on(b, id, null);
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

    private static String[] args(String roles) {
        return new String[]{"--convtrail.node.roles=" + roles, "--convtrail.demo-tool.delay=50ms",
                "--convtrail.stream.stomp.broker=relay", "--convtrail.stream.stomp.relay.host=" + PrivateRabbitMq.HOST,
                "--convtrail.stream.stomp.relay.port=" + broker.stompPort()};
    }
}
