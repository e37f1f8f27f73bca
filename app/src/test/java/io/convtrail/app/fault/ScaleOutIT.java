package io.convtrail.app.fault;

import com.fasterxml.jackson.databind.JsonNode;
import io.convtrail.app.fault.FaultClient.Answer;
import io.convtrail.app.stream.SseTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three nodes of the built jar on one PostgreSQL (the one {@code SPRING_DATASOURCE_URL} names, else an
 * embedded one this test starts and every node points at): node A runs turns only, B runs both roles,
 * C serves reads only. Turns run on A reach SSE and STOMP subscribers on B and C complete, in order,
 * once, equal to the raw audit, whichever node projects them; turns of one conversation posted to A
 * and B at once never interleave; A runs no projection and C takes no turn; B and C share each
 * projection's segments and keep them; and when B is killed in the middle of a load of turns, C takes
 * its segments within the stated time, every answered turn reaches the read models, and the SSE and
 * STOMP subscribers on A and C miss nothing.
 */
@ResourceLock(ServiceProcess.MANY_PROCESSES)
@Order(1) // the fault suite's longest first (see the failsafe configuration)
class ScaleOutIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** axon.eventhandling.tokenstore.claim-timeout (10 s) + token-claim-interval (2 s), with a loaded machine's slack */
    private static final Duration TAKEOVER = Duration.ofSeconds(25);
    /** convtrail.node.segment-balance.interval (5 s), twice, + token-claim-interval, with slack */
    private static final Duration BALANCED = Duration.ofSeconds(40);
    private static final List<String> DIALOG = List.of("hello", "What are your interest rates?",
            "I want to apply for a loan", "10000", "36", "ann@example.com", "yes");

    private static NodeCluster cluster;
    private static ServiceProcess a;
    private static ServiceProcess b;
    private static ServiceProcess c;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void startNodes() throws Exception {
        cluster = NodeCluster.open("scaleout");
        // B first: it migrates the schema and creates the segments; A and C then start side by side
        b = node("node-b", "command,query");
        CompletableFuture<ServiceProcess> startingA = cluster.startAside("node-a", args("command"));
        CompletableFuture<ServiceProcess> startingC = cluster.startAside("node-c", args("query"));
        a = startingA.join();
        c = startingC.join();
    }

    @AfterAll
    static void stopNodes() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void threeNodesOnOneDatabase() throws Exception {
        // first: while a segment moves, reads of its conversations may answer 503 read-model-behind for a moment
        theQueryNodesShareEveryProjectionsSegments();
        turnsOnTheCommandNodeStreamLiveToSubscribersOnTheOtherNodes();
        turnsOfOneConversationPostedToTwoNodesNeverInterleave();
        eachNodeDoesOnlyWhatItsRolesSay();
        aQueryNodeKilledDuringALoadOfTurnsLosesNothing();
    }

    private void turnsOnTheCommandNodeStreamLiveToSubscribersOnTheOtherNodes() throws Exception {
        UUID id = UUID.randomUUID();
        FaultClient onA = new FaultClient(a.baseUrl());
        try (SseTestClient sseB = sse(b, id); SseTestClient sseC = sse(c, id)) {
            StompSubscriber stompB = StompSubscriber.on(b, id, null);
            StompSubscriber stompC = StompSubscriber.on(c, id, null);
            Thread.sleep(500); // the STOMP subscriptions are registered before the first turn
            for (String message : DIALOG) {
                assertThat(onA.turn(id, message).status()).as("turn '%s' on node A", message).isEqualTo(200);
            }
            awaitQueryNodesCaughtUp();
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
            for (StompSubscriber stomp : List.of(stompB, stompC)) {
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

        awaitQueryNodesCaughtUp();
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
            List<String> owningNodes = new ArrayList<>();
            projection.get("owners").fieldNames().forEachRemaining(owningNodes::add);
            assertThat(owningNodes).as("nodes holding segments (a released one has none for a moment)").isNotEmpty()
                    .allSatisfy(node -> assertThat(node).isIn("node-b", "node-c"));
        }
        for (ServiceProcess node : List.of(a, b, c)) {
            JsonNode health = new FaultClient(node.baseUrl()).get("/actuator/health");
            assertThat(health.at("/components/node/details/roles").asText())
                    .isEqualTo(node == a ? "command" : node == b ? "command, query" : "query");
        }
        assertThat(a.logLines()).anyMatch(line -> line.contains("roles: command —"));
    }

    private void theQueryNodesShareEveryProjectionsSegments() throws Exception {
        FaultClient onC = new FaultClient(c.baseUrl());
        long deadline = System.nanoTime() + BALANCED.toNanos();
        Map<String, Map<String, Integer>> shares = onC.segmentShares();
        while (!balanced(shares)) {
            assertThat(System.nanoTime()).as("segments shared by node-b and node-c: %s", shares).isLessThan(deadline);
            Thread.sleep(500);
            shares = onC.segmentShares();
        }
        JsonNode status = onC.get("/actuator/projections");
        assertThat(status.get("queryNodes")).extracting(JsonNode::asText).containsExactly("node-b", "node-c");
        Map<String, String> owners = owners(status);
        for (int look = 0; look < 3; look++) { // longer than a balance interval and a release: no segment moves
            Thread.sleep(2_500);
            assertThat(owners(onC.get("/actuator/projections"))).as("the shared segments stay put").isEqualTo(owners);
        }
        System.out.printf("ScaleOutIT: segments per node %s, unchanged for 7.5 s%n", shares);
    }

    /** Audit and trace (2 segments each) one and one; the one-segment index on either node. */
    private static boolean balanced(Map<String, Map<String, Integer>> shares) {
        return shares.get("audit").equals(Map.of("node-b", 1, "node-c", 1))
                && shares.get("trace").equals(Map.of("node-b", 1, "node-c", 1));
    }

    private void aQueryNodeKilledDuringALoadOfTurnsLosesNothing() throws Exception {
        FaultClient toA = new FaultClient(a.baseUrl());
        FaultClient toB = new FaultClient(b.baseUrl());
        LoanDrivers onA = new LoanDrivers(toA, 2);
        LoanDrivers onB = new LoanDrivers(toB, 2);
        List<UUID> watched = new ArrayList<>(onA.firstConversations());
        watched.addAll(onB.firstConversations());
        List<ResumingSseClient> sse = new ArrayList<>();
        List<StompSubscriber> stomp = new ArrayList<>();
        for (ServiceProcess survivor : List.of(a, c)) {
            for (UUID id : watched) {
                sse.add(new ResumingSseClient(survivor::baseUrl, id));
                stomp.add(StompSubscriber.on(survivor, id, null));
            }
        }
        Thread.sleep(500); // the STOMP subscriptions are registered before the first turn
        onA.start();
        onB.start();
        awaitAnswered(List.of(onA, onB), 6);
        b.kill();
        long killedAt = System.nanoTime();
        long answeredByB = onB.answeredTurns();
        toB.baseUrl(a.baseUrl()); // B's clients go on with node A, as behind a load balancer

        FaultClient onC = new FaultClient(c.baseUrl());
        Duration tookOver = null;
        Map<String, String> owners = Map.of();
        while (tookOver == null) {
            owners = owners(onC.get("/actuator/projections"));
            if (owners.values().stream().allMatch("node-c"::equals)) {
                tookOver = Duration.ofNanos(System.nanoTime() - killedAt);
            } else {
                assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).as("segments taken over; owners %s", owners)
                        .isLessThan(TAKEOVER);
                Thread.sleep(200);
            }
        }
        awaitAnswered(List.of(onA, onB), onA.answeredTurns() + onB.answeredTurns() + 6);
        onA.stop();
        onB.stop();
        onA.finishPending();
        onB.finishPending();
        onC.awaitProjectionsCaughtUp(Duration.ofSeconds(60));

        // 409: a turn B left open is closed once B's runner counts as gone (convtrail.node.liveness-timeout)
        for (LoanDrivers drivers : List.of(onA, onB)) {
            assertThat(drivers.answers()).extracting(Answer::status).isSubsetOf(200, -1, 409);
            drivers.assertRecordComplete();
        }
        for (UUID id : watched) {
            long head = onC.verify(id).get("headSequence").asLong();
            List<Long> all = LongStream.rangeClosed(1, head).boxed().toList();
            List<String> rawAudit = StreamSupport.stream(onC.get("/api/v1/conversation/audit/" + id).spliterator(), false)
                    .map(row -> row.get("auditId").asLong() + " " + row.get("stage").asText()).toList();
            for (int node = 0; node < 2; node++) {
                ResumingSseClient stream = sse.get(node * watched.size() + watched.indexOf(id));
                awaitDelivered(stream, head);
                assertThat(stream.delivered()).as("SSE of %s on %s", id, node == 0 ? "A" : "C").isEqualTo(all);
                StompSubscriber subscriber = stomp.get(node * watched.size() + watched.indexOf(id));
                subscriber.awaitSequence(head);
                assertThat(subscriber.sequences).as("STOMP of %s on %s", id, node == 0 ? "A" : "C").isEqualTo(all);
                assertThat(audited(subscriber.bodies)).isEqualTo(rawAudit);
            }
        }
        for (ResumingSseClient stream : sse) {
            stream.close();
        }
        stomp.forEach(StompSubscriber::close);
        System.out.printf("ScaleOutIT: node-b killed under load (%d turns answered by it, %d in all); node-c held every"
                        + " segment %d ms later; %d SSE and %d STOMP subscribers on A and C missed nothing%n",
                answeredByB, onA.answeredTurns() + onB.answeredTurns(), tookOver.toMillis(), sse.size(), stomp.size());
        for (ServiceProcess node : List.of(a, c)) {
            assertThat(node.logLines()).as(node.log().toString()).noneMatch(line -> line.contains(" ERROR "));
        }
    }

    /**
     * Each query node reports only its own segments' positions, so both must have reached the head before a
     * read on either is sure not to outwait {@code convtrail.read.consistency-timeout} (503) on a loaded machine.
     */
    private static void awaitQueryNodesCaughtUp() throws Exception {
        for (ServiceProcess node : List.of(b, c)) {
            new FaultClient(node.baseUrl()).awaitProjectionsCaughtUp(WAIT);
        }
    }

    private static void awaitAnswered(List<LoanDrivers> drivers, long turns) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (drivers.stream().mapToLong(LoanDrivers::answeredTurns).sum() < turns) {
            assertThat(System.nanoTime()).as("%d turns answered", turns).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static void awaitDelivered(ResumingSseClient stream, long head) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (stream.delivered().size() < head && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Thread.sleep(300); // anything after the last one would be a duplicate
    }

    private static ServiceProcess node(String name, String roles) throws Exception {
        return cluster.start(name, args(roles));
    }

    /**
     * A node's arguments: its roles; a short heartbeat and liveness timeout, so that a turn the killed node
     * left open is closed by the next turn of its conversation within seconds, not 30.
     */
    private static String[] args(String roles) {
        return new String[]{"--convtrail.node.roles=" + roles, "--convtrail.demo-tool.delay=100ms",
                "--convtrail.node.heartbeat=2s", "--convtrail.node.liveness-timeout=8s"};
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
        Map<String, String> owners = new TreeMap<>();
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

    /** Events of the conversation in the event store. */
    private static long recordedEvents(UUID conversationId) throws Exception {
        try (Connection connection = cluster.connect(); PreparedStatement query = connection.prepareStatement(
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
        try (Connection connection = cluster.connect();
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
}
