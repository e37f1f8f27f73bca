package io.convtrail.app.fault;

import com.fasterxml.jackson.databind.JsonNode;
import io.convtrail.app.fault.FaultClient.Answer;
import io.convtrail.app.stream.SseTestClient;
import io.convtrail.app.stream.StompConnect;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;

import java.io.IOException;
import java.lang.reflect.Type;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three nodes of the built jar on one PostgreSQL (the one {@code SPRING_DATASOURCE_URL} names, else an
 * embedded one this test starts and every node points at): node A runs turns only, B runs both roles,
 * C serves reads only. Turns run on A reach SSE and STOMP subscribers on B and C complete, in order,
 * once, equal to the raw audit, whichever node projects them; turns of one conversation posted to A
 * and B at once never interleave; A runs no projection and C takes no turn; and when the node that
 * holds the projections' segments is killed, the other query node takes them within the stated claim
 * timeout and every answered turn reaches the read models.
 */
class ScaleOutIT {

    private static final Path HOME = Path.of("target", "fault", "scaleout-" + UUID.randomUUID().toString().substring(0, 8));
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** axon.eventhandling.tokenstore.claim-timeout (10 s) + token-claim-interval (2 s), with a loaded machine's slack */
    private static final Duration TAKEOVER = Duration.ofSeconds(25);
    private static final List<String> DIALOG = List.of("hello", "What are your interest rates?",
            "I want to apply for a loan", "10000", "36", "ann@example.com", "yes");

    private static SharedPostgres postgres;
    private static String[] database;
    private static ServiceProcess a;
    private static ServiceProcess b;
    private static ServiceProcess c;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void startNodes() throws Exception {
        postgres = SharedPostgres.open(HOME);
        database = postgres.args();
        // B first: it migrates the schema and creates the segments; A and C then start side by side
        b = node("node-b", "command,query");
        CompletableFuture<ServiceProcess> startingA = CompletableFuture.supplyAsync(() -> node("node-a", "command"));
        CompletableFuture<ServiceProcess> startingC = CompletableFuture.supplyAsync(() -> node("node-c", "query"));
        a = startingA.join();
        c = startingC.join();
    }

    @AfterAll
    static void stopNodes() throws Exception {
        for (ServiceProcess node : new ServiceProcess[]{a, b, c}) {
            if (node != null) {
                node.close();
            }
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void threeNodesOnOneDatabase() throws Exception {
        turnsOnTheCommandNodeStreamLiveToSubscribersOnTheOtherNodes();
        turnsOfOneConversationPostedToTwoNodesNeverInterleave();
        eachNodeDoesOnlyWhatItsRolesSay();
        theQueryNodeLeftTakesTheSegmentsOfAKilledOne();
    }

    private void turnsOnTheCommandNodeStreamLiveToSubscribersOnTheOtherNodes() throws Exception {
        UUID id = UUID.randomUUID();
        FaultClient onA = new FaultClient(a.baseUrl());
        try (SseTestClient sseB = sse(b, id); SseTestClient sseC = sse(c, id)) {
            StompRecorder stompB = StompRecorder.subscribe(b, id);
            StompRecorder stompC = StompRecorder.subscribe(c, id);
            Thread.sleep(500); // the STOMP subscriptions are registered before the first turn
            for (String message : DIALOG) {
                assertThat(onA.turn(id, message).status()).as("turn '%s' on node A", message).isEqualTo(200);
            }
            JsonNode audit = new FaultClient(c.baseUrl()).get("/api/v1/conversation/audit/" + id);
            long head = new FaultClient(c.baseUrl()).verify(id).get("headSequence").asLong();
            List<String> rawAudit = StreamSupport.stream(audit.spliterator(), false)
                    .map(row -> row.get("auditId").asLong() + " " + row.get("stage").asText()).toList();

            for (SseTestClient sse : List.of(sseB, sseC)) {
                List<SseTestClient.Event> events = sse.upTo(head, WAIT);
                assertThat(events).extracting(SseTestClient.Event::sequence)
                        .containsExactlyElementsOf(LongStream.rangeClosed(1, head).boxed().toList());
                assertThat(audited(events.stream().map(e -> parse(e.data())).toList()))
                        .as("SSE = raw audit").containsExactlyElementsOf(rawAudit);
                assertThat(sse.silentFor(Duration.ofMillis(300))).isTrue();
            }
            for (StompRecorder stomp : List.of(stompB, stompC)) {
                stomp.awaitSequence(head);
                assertThat(stomp.sequences).containsExactlyElementsOf(LongStream.rangeClosed(1, head).boxed().toList());
                assertThat(audited(stomp.bodies)).as("STOMP = raw audit").containsExactlyElementsOf(rawAudit);
            }
            stompB.close();
            stompC.close();
            System.out.printf("ScaleOutIT: %d turns on node A, %d events streamed to SSE and STOMP on B and C%n",
                    DIALOG.size(), head);
        }
    }

    private void turnsOfOneConversationPostedToTwoNodesNeverInterleave() throws Exception {
        UUID id = UUID.randomUUID();
        List<Answer> answers = new CopyOnWriteArrayList<>();
        List<CompletableFuture<Void>> posting = new ArrayList<>();
        for (ServiceProcess node : List.of(a, b)) {
            FaultClient client = new FaultClient(node.baseUrl());
            posting.add(CompletableFuture.runAsync(() -> {
                for (String message : DIALOG) {
                    try {
                        answers.add(client.turn(id, message));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }));
        }
        posting.forEach(CompletableFuture::join);
        assertThat(answers).extracting(Answer::status).as("each turn runs or waits its turn (busy-wait), then 409")
                .allMatch(status -> status == 200 || status == 409);
        long answered = answers.stream().filter(answer -> answer.status() == 200).count();
        assertThat(answered).isGreaterThan(DIALOG.size());

        FaultClient onC = new FaultClient(c.baseUrl());
        JsonNode trace = onC.trace(id);
        assertThat(trace.get("turns")).hasSize((int) answered);
        assertThat(trace.get("turns")).allSatisfy(turn -> assertThat(turn.get("status").asText()).isEqualTo("COMPLETED"));
        assertThat(onC.verify(id).get("intact").asBoolean()).isTrue();
        List<UUID> turnOfEachRecord = turnsInSequenceOrder(id);
        Set<UUID> blocks = new LinkedHashSet<>();
        UUID previous = null;
        for (UUID turn : turnOfEachRecord) {
            if (!turn.equals(previous)) {
                assertThat(blocks.add(turn)).as("turn %s resumes after another turn's records", turn).isTrue();
                previous = turn;
            }
        }
        assertThat(blocks).hasSize((int) answered);
        System.out.printf("ScaleOutIT: %d turns posted to nodes A and B at once on one conversation, %d ran, one at a"
                + " time%n", answers.size(), answered);
    }

    private void eachNodeDoesOnlyWhatItsRolesSay() throws Exception {
        UUID id = UUID.randomUUID();
        for (String path : List.of("/api/v1/conversation/message", "/api/v1/conversation/feedback")) {
            HttpResponse<String> refused = post(c, path, "{\"conversationId\":\"" + id + "\",\"message\":\"hello\"}");
            assertThat(refused.statusCode()).as("POST %s on the query node", path).isEqualTo(404);
            assertThat(refused.headers().firstValue("content-type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            JsonNode problem = FaultClient.JSON.readTree(refused.body());
            assertThat(problem.get("servedByRole").asText()).isEqualTo("command");
            assertThat(problem.get("detail").asText()).contains("command role");
        }
        assertThat(recordedEvents(id)).as("events of the refused turns").isZero();

        JsonNode onA = new FaultClient(a.baseUrl()).get("/actuator/projections");
        assertThat(onA.get("roles").asText()).isEqualTo("command");
        for (JsonNode projection : onA.get("projections")) {
            assertThat(projection.get("running").asBoolean()).as("a processor on the command node").isFalse();
            assertThat(projection.get("segments")).isEmpty();
            assertThat(projection.get("claims")).isNotEmpty()
                    .allSatisfy(claim -> assertThat(claim.get("owner").asText()).isIn("node-b", "node-c"));
        }
        for (ServiceProcess node : List.of(a, b, c)) {
            JsonNode health = new FaultClient(node.baseUrl()).get("/actuator/health");
            assertThat(health.at("/components/node/details/roles").asText())
                    .isEqualTo(node == a ? "command" : node == b ? "command, query" : "query");
        }
        assertThat(a.logLines()).anyMatch(line -> line.contains("roles: command —"));
    }

    private void theQueryNodeLeftTakesTheSegmentsOfAKilledOne() throws Exception {
        FaultClient onA = new FaultClient(a.baseUrl());
        Map<String, String> owners = owners(new FaultClient(c.baseUrl()).get("/actuator/projections"));
        String owner = owners.values().iterator().next();
        ServiceProcess killed = "node-b".equals(owner) ? b : c;
        ServiceProcess survivor = killed == b ? c : b;
        String survivorName = killed == b ? "node-c" : "node-b";

        UUID id = UUID.randomUUID();
        assertThat(onA.turn(id, "hello").status()).isEqualTo(200);
        killed.kill();
        long killedAt = System.nanoTime();
        List<Answer> answers = new ArrayList<>();
        for (String message : DIALOG.subList(1, DIALOG.size())) {
            answers.add(onA.turn(id, message));
        }
        assertThat(answers).extracting(Answer::status).containsOnly(200);

        FaultClient onSurvivor = new FaultClient(survivor.baseUrl());
        Duration tookOver = null;
        while (tookOver == null) {
            Map<String, String> now = owners(onSurvivor.get("/actuator/projections"));
            if (now.values().stream().allMatch(survivorName::equals)) {
                tookOver = Duration.ofNanos(System.nanoTime() - killedAt);
            } else {
                assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).as("segments taken over; owners %s", now)
                        .isLessThan(TAKEOVER);
                Thread.sleep(200);
            }
        }
        JsonNode trace = onSurvivor.trace(id);
        assertThat(trace.get("turns")).hasSize(DIALOG.size())
                .allSatisfy(turn -> assertThat(turn.get("status").asText()).isEqualTo("COMPLETED"));
        assertThat(onSurvivor.verify(id).get("intact").asBoolean()).isTrue();
        System.out.printf("ScaleOutIT: %s killed holding %s; %s held every segment %d ms later%n", owner, owners,
                survivorName, tookOver.toMillis());
        for (ServiceProcess node : List.of(a, survivor)) {
            assertThat(node.logLines()).as(node.log().toString()).noneMatch(line -> line.contains(" ERROR "));
        }
    }

    private static ServiceProcess node(String name, String roles) {
        List<String> args = new ArrayList<>(List.of(database));
        args.addAll(List.of("--convtrail.node.name=" + name, "--convtrail.node.roles=" + roles,
                "--convtrail.demo-tool.delay=100ms"));
        try {
            return ServiceProcess.start(HOME.resolve(name + ".log"), ServiceProcess.freePort(), args.toArray(String[]::new));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private SseTestClient sse(ServiceProcess node, UUID id) {
        SseTestClient client = SseTestClient.open(http, URI.create(node.baseUrl() + "/api/v1/conversation/stream/" + id),
                Map.of());
        assertThat(client.next(WAIT).name()).isEqualTo("CONNECTED");
        return client;
    }

    private HttpResponse<String> post(ServiceProcess node, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + path))
                .header("content-type", "application/json")
                .header("authorization", io.convtrail.testsupport.TestTokens.adminBearer())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** "auditId stage" of every AUDIT envelope, as the raw audit lists its rows. */
    static List<String> audited(List<JsonNode> envelopes) {
        return envelopes.stream().filter(e -> "AUDIT".equals(e.get("eventType").asText()))
                .map(e -> e.get("auditId").asLong() + " " + e.get("stage").asText()).toList();
    }

    private static Map<String, String> owners(JsonNode projections) {
        Map<String, String> owners = new java.util.TreeMap<>();
        projections.get("projections").fields().forEachRemaining(projection -> projection.getValue().get("claims")
                .forEach(claim -> owners.put(projection.getKey() + "/" + claim.get("segment").asInt(),
                        claim.get("owner").asText())));
        return owners;
    }

    static JsonNode parse(String json) {
        try {
            return FaultClient.JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + json, e);
        }
    }

    private static Connection connect() throws Exception {
        return DriverManager.getConnection(database[0].substring("--spring.datasource.url=".length()),
                database[1].substring("--spring.datasource.username=".length()),
                database[2].substring("--spring.datasource.password=".length()));
    }

    /** Events of the conversation in the event store. */
    private static long recordedEvents(UUID conversationId) throws Exception {
        try (Connection connection = connect(); PreparedStatement query = connection.prepareStatement(
                "SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ?")) {
            query.setString(1, conversationId.toString());
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** The turn of each stored record of the conversation, in stream order, read from the shared database. */
    private static List<UUID> turnsInSequenceOrder(UUID conversationId) throws Exception {
        List<UUID> turns = new ArrayList<>();
        try (Connection connection = connect();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT turn_id FROM audit_event WHERE conversation_id = ? AND turn_id IS NOT NULL ORDER BY seq")) {
            query.setObject(1, conversationId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    turns.add(rows.getObject(1, UUID.class));
                }
            }
        }
        return turns;
    }

    /** A STOMP subscriber over plain WebSocket that keeps each message's sequence header and body. */
    static final class StompRecorder implements AutoCloseable {
        final List<Long> sequences = new CopyOnWriteArrayList<>();
        final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
        private StompSession session;

        static StompRecorder subscribe(ServiceProcess node, UUID conversationId) throws Exception {
            StompRecorder recorder = new StompRecorder();
            String url = node.baseUrl().replace("http://", "ws://") + "/ws-convengine";
            recorder.session = StompConnect.asAdmin(new WebSocketStompClient(new StandardWebSocketClient()), url,
                    new StompSessionHandlerAdapter() {
                    }).get(10, TimeUnit.SECONDS);
            recorder.session.subscribe("/topic/convengine/audit/" + conversationId, new StompFrameHandler() {
                @Override
                public Type getPayloadType(StompHeaders headers) {
                    return byte[].class;
                }

                @Override
                public void handleFrame(StompHeaders headers, Object payload) {
                    recorder.bodies.add(parse(new String((byte[]) payload, StandardCharsets.UTF_8)));
                    recorder.sequences.add(Long.parseLong(headers.getFirst("sequence")));
                }
            });
            return recorder;
        }

        void awaitSequence(long last) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while ((sequences.isEmpty() || sequences.get(sequences.size() - 1) < last) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Thread.sleep(300); // anything after the last one would be a duplicate
        }

        @Override
        public void close() {
            if (session.isConnected()) {
                session.disconnect();
            }
        }
    }
}
