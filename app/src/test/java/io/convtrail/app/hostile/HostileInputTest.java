package io.convtrail.app.hostile;

import io.convtrail.testsupport.store.EventStoreProbe;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.app.LocalApi;
import io.convtrail.query.stream.ConversationStreamHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The findings of issue 9 about hostile input, one regression each: every one is a 4xx
 * problem+json in the one vocabulary, changes nothing, and leaves at most one log line.
 */
@ConvtrailIntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class HostileInputTest {

    private static final String MESSAGE = "/api/v1/conversation/message";
    private static final String FEEDBACK = "/api/v1/conversation/feedback";
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @Autowired
    EventStoreProbe storeProbe;

    @Autowired
    ConversationStreamHub hub;

    static Stream<Arguments> refusedBodies() {
        String id = UUID.randomUUID().toString();
        return Stream.of(
                // text PostgreSQL or the chain cannot hold faithfully (the JSON escapes reach the parser as written)
                refused("NUL in the message", MESSAGE, "{\"message\":\"a\\u0000b\"}", 400, "unsupported-text", "message"),
                refused("lone high surrogate", MESSAGE, "{\"message\":\"x\\ud800y\"}", 400, "unsupported-text", "message"),
                refused("lone low surrogate at the end", MESSAGE, "{\"message\":\"x\\udc00\"}", 400, "unsupported-text", "message"),
                refused("NUL in an inputParams value", MESSAGE,
                        "{\"message\":\"hi\",\"inputParams\":{\"a\":{\"b\":[\"\\u0000\"]}}}", 400, "unsupported-text",
                        "inputParams.a.b[0]"),
                refused("surrogate in an inputParams key (the parser itself refuses it)", MESSAGE,
                        "{\"message\":\"hi\",\"inputParams\":{\"k\\ud800\":1}}", 400, "malformed-json", "body"),
                refused("NUL in an inputParams key", MESSAGE,
                        "{\"message\":\"hi\",\"inputParams\":{\"k\\u0000\":1}}", 400, "unsupported-text", "inputParams (a key)"),
                refused("NUL in the conversationId", MESSAGE,
                        "{\"conversationId\":\"" + id + "\\u0000\",\"message\":\"hi\"}", 400, "unsupported-text",
                        "conversationId"),
                refused("NUL in feedback text", FEEDBACK, "{\"conversationId\":\"" + id
                        + "\",\"feedbackType\":\"THUMBS_UP\",\"assistantResponse\":\"a\\u0000\"}", 400, "unsupported-text",
                        "assistantResponse"),
                refused("surrogate in feedback metadata", FEEDBACK, "{\"conversationId\":\"" + id
                        + "\",\"feedbackType\":\"THUMBS_UP\",\"metadata\":{\"x\":\"\\udfff\"}}", 400, "unsupported-text",
                        "metadata.x"),
                // strict JSON
                refused("trailing content", MESSAGE, "{\"message\":\"hi\"}}", 400, "malformed-json", "body"),
                refused("a second value", MESSAGE, "{\"message\":\"hi\"} {\"message\":\"ho\"}", 400, "malformed-json", "body"),
                refused("duplicate keys", MESSAGE, "{\"message\":\"hi\",\"message\":\"ho\"}", 400, "malformed-json", "body"),
                refused("duplicate nested keys", MESSAGE,
                        "{\"message\":\"hi\",\"inputParams\":{\"a\":1,\"a\":2}}", 400, "malformed-json", "body"),
                refused("duplicate keys in feedback", FEEDBACK, "{\"conversationId\":\"" + id
                        + "\",\"feedbackType\":\"THUMBS_UP\",\"feedbackType\":\"THUMBS_DOWN\"}", 400, "malformed-json", "body"),
                // limits
                refused("10 MB of inputParams", MESSAGE,
                        "{\"message\":\"hi\",\"inputParams\":{\"big\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}}", 413,
                        "too-large", "body"),
                refused("inputParams over 16 KB", MESSAGE,
                        "{\"message\":\"hi\",\"inputParams\":{\"big\":\"" + "x".repeat(17 * 1024) + "\"}}", 413,
                        "too-large", "inputParams"),
                refused("inputParams nested 17 deep", MESSAGE,
                        "{\"message\":\"hi\",\"inputParams\":" + "{\"a\":".repeat(16) + "1" + "}".repeat(16) + "}", 413,
                        "too-large", "body"),
                refused("feedback metadata nested 10,000 deep", FEEDBACK, "{\"conversationId\":\"" + id
                        + "\",\"feedbackType\":\"THUMBS_UP\",\"metadata\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}",
                        413, "too-large", "body"));
    }

    private static Arguments refused(String name, String path, String body, int status, String type, String field) {
        return Arguments.of(name, path, body, status, type, field);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedBodies")
    void isRefusedAtTheEdgeAndStoresNothing(String name, String path, String body, int status, String type,
                                            String field) {
        long events = storedEvents();

        ResponseEntity<String> answer = http().post().uri(path).header("Content-Type", "application/json")
                .body(body).retrieve().toEntity(String.class);

        assertProblem(answer, status, type);
        assertThat(parse(answer.getBody()).path("field").asText()).isEqualTo(field);
        assertThat(storedEvents()).as("events in the store").isEqualTo(events);
    }

    @Test
    void aSurrogatePairIsNotALoneSurrogateAndIsStoredExactly() {
        UUID id = UUID.randomUUID();
        String text = "price in \uD83D\uDCB6 please";

        ResponseEntity<String> answer = http().post().uri(MESSAGE).header("Content-Type", "application/json")
                .body("{\"conversationId\":\"" + id + "\",\"message\":\"price in \\ud83d\\udcb6 please\"}")
                .retrieve().toEntity(String.class);

        assertThat(answer.getStatusCode().value()).isEqualTo(200);
        JsonNode input = await().atMost(Duration.ofSeconds(15)).until(() -> userInput(id), node -> node != null);
        assertThat(input.get("text").asText()).isEqualTo(text);
        JsonNode verify = parse(http().get().uri("/api/v1/conversation/audit/{id}/verify", id).retrieve().body(String.class));
        assertThat(verify.get("intact").asBoolean()).isTrue();
    }

    @Test
    void errorAndUnknownPathsAreNotFoundProblems() {
        for (String path : List.of("/error", "/nope", "/api/v1/conversation/nope", "/api/v1/conversation/stream/")) {
            assertProblem(http().get().uri(path).retrieve().toEntity(String.class), 404, "not-found");
        }
        assertProblem(http().post().uri("/error").retrieve().toEntity(String.class), 404, "not-found");
    }

    @Test
    void everyMethodButGetAndHeadOnTheStreamIsAnsweredAtOnce() {
        String stream = "/api/v1/conversation/stream/" + UUID.randomUUID();
        for (HttpMethod method : List.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.PATCH)) {
            ResponseEntity<String> answer = http().method(method).uri(stream).retrieve().toEntity(String.class);
            assertProblem(answer, 405, "method-not-allowed");
            assertThat(answer.getHeaders().getAllow()).contains(HttpMethod.GET, HttpMethod.HEAD);
        }
    }

    @Test
    void headOnTheStreamAnswersItsHeadersAtOnceAndOpensNothing() {
        // counted per conversation: the node-wide gauge also falls as streams of earlier test classes close
        List<UUID> heads = Stream.generate(UUID::randomUUID).limit(20).toList();
        for (UUID id : heads) {
            long started = System.nanoTime();
            ResponseEntity<Void> answer = http().head().uri("/api/v1/conversation/stream/{id}", id)
                    .retrieve().toBodilessEntity();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
            assertThat(answer.getStatusCode().value()).isEqualTo(200);
            assertThat(answer.getHeaders().getContentType()).hasToString("text/event-stream");
        }
        assertThat(heads).as("conversations with an SSE subscriber opened by HEAD")
                .filteredOn(id -> hub.subscribers(id, "sse") > 0).isEmpty();
        assertThat(http().head().uri("/api/v1/conversation/stream/not-a-uuid").retrieve().toBodilessEntity()
                .getStatusCode().value()).isEqualTo(400);
    }

    @Test
    void feedbackOnAnUnknownConversationIs404WithOneLogLine(CapturedOutput output) throws InterruptedException {
        // the refusal log writes 10 lines a second (20 at once); tests before this one in the shared context
        // (the fuzz test, the rate-limit test) may have spent them, and a line not written is only counted
        Thread.sleep(1_100);
        int before = output.getOut().length();
        UUID unknown = UUID.randomUUID();

        ResponseEntity<String> answer = http().post().uri(FEEDBACK).header("Content-Type", "application/json")
                .body("{\"conversationId\":\"" + unknown + "\",\"feedbackType\":\"THUMBS_UP\"}")
                .retrieve().toEntity(String.class);

        assertProblem(answer, 404, "unknown-conversation");
        String logged = output.getOut().substring(before);
        assertThat(logged.lines().filter(line -> !line.isBlank()).toList()).as(logged)
                .singleElement().asString().contains("Refused POST " + FEEDBACK + ": 404 unknown-conversation");
        assertThat(storeProbe.events(unknown)).isZero();
    }

    @Test
    void refusalLinesAreRateLimitedAndCountWhatTheyLeftOut(CapturedOutput output) throws InterruptedException {
        int before = output.getOut().length();
        RestClient http = http();
        // eight at a time: one after another, a loaded two-core machine answered fewer than the budget's
        // 10 a second, so every refusal was logged and the limit never reached
        ExecutorService senders = Executors.newFixedThreadPool(8);
        long started = System.nanoTime();
        for (int i = 0; i < 300; i++) {
            senders.execute(() -> http.post().uri(MESSAGE).header("Content-Type", "application/json")
                    .body("{\"message\":1}").retrieve().toEntity(String.class));
        }
        senders.shutdown();
        assertThat(senders.awaitTermination(5, TimeUnit.MINUTES)).isTrue();
        double seconds = (System.nanoTime() - started) / 1e9;
        Thread.sleep(300); // room for one more line
        http().post().uri(MESSAGE).header("Content-Type", "application/json").body("{\"message\":1}")
                .retrieve().toEntity(String.class);

        List<String> lines = output.getOut().substring(before).lines().filter(l -> l.contains("Refused POST")).toList();
        assertThat(lines.size()).as("refusal lines for 301 refusals in %.1f s", seconds)
                .isLessThanOrEqualTo(20 + (int) Math.ceil((seconds + 0.3) * 10) + 1);
        long leftOut = lines.stream().map(l -> java.util.regex.Pattern.compile("\\[(\\d+) more refusals not logged]")
                .matcher(l)).filter(java.util.regex.Matcher::find).mapToLong(m -> Long.parseLong(m.group(1))).sum();
        assertThat(leftOut).as("refusals counted in later lines").isPositive();
        assertThat(lines.size() + leftOut).as("every refusal logged or counted").isEqualTo(301);
    }

    @Test
    void refusalsAreCountedByReason() {
        double before = refused("unsupported-text");
        http().post().uri(MESSAGE).header("Content-Type", "application/json").body("{\"message\":\"\\u0000\"}")
                .retrieve().toEntity(String.class);
        assertThat(refused("unsupported-text")).isEqualTo(before + 1);
    }

    private double refused(String reason) {
        JsonNode metric = parse(http().get().uri("/actuator/metrics/convtrail.requests.refused?tag=reason:" + reason)
                .retrieve().body(String.class));
        return metric == null || metric.path("measurements").isEmpty() ? 0
                : metric.get("measurements").get(0).get("value").asDouble();
    }

    /**
     * A refusal made before the application reads the body (Tomcat's own for an encoded {@code \\}, the
     * firewall's for an encoded {@code %}) is followed by a close. Answered while the client was still
     * sending, the close found unread bytes and reset the connection, the client's next write failed, and
     * the JDK client lost the answer ("header parser received no bytes": FuzzTest, seed 1796082994421, on
     * a loaded machine). Here 1 KB of the body comes with the headers and the rest 300 ms later: nothing
     * may come back before the whole body is in, and then the refusal.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/api/v1/conversation/message%5C", "/api/v1/conversation/message%25"})
    void aRefusalBeforeTheApplicationReadsASmallBodyFirst(String path) throws Exception {
        byte[] body = ("{\"message\":\"" + "x".repeat(20_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        long events = storedEvents();

        try (Socket socket = new Socket("localhost", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(head);
            out.write(body, 0, 1024);
            out.flush();
            socket.setSoTimeout(300);
            assertThatThrownBy(() -> socket.getInputStream().read()).as("an answer before the body is in")
                    .isInstanceOf(SocketTimeoutException.class);
            out.write(body, 1024, body.length - 1024);
            out.flush();
            socket.setSoTimeout(10_000);
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(answer).startsWith("HTTP/1.1 400").contains("Content-Type: application/problem+json")
                    .contains("\"type\":\"urn:convtrail:problem:invalid-request\"").doesNotContain("Exception");
        }
        assertThat(storedEvents()).as("events in the store").isEqualTo(events);
    }

    /** A body behind a head Tomcat refuses (a request line over the header limit) cannot be read; answered all the same. */
    @Test
    void aRequestWithAHeadOverTheLimitAndABodyIsAProblem() throws Exception {
        byte[] body = "{\"message\":\"hi\"}".getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST " + MESSAGE + "?tag=" + "x".repeat(9000) + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        long events = storedEvents();

        try (Socket socket = new Socket("localhost", port)) {
            socket.getOutputStream().write(head);
            socket.getOutputStream().write(body);
            socket.setSoTimeout(10_000);
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(answer).startsWith("HTTP/1.1 400").contains("Content-Type: application/problem+json")
                    .contains("\"type\":\"urn:convtrail:problem:invalid-request\"");
        }
        assertThat(storedEvents()).as("events in the store").isEqualTo(events);
    }

    private JsonNode userInput(UUID id) {
        JsonNode rows = parse(http().get().uri("/api/v1/conversation/audit/{id}?stage=USER_INPUT", id)
                .retrieve().body(String.class));
        return rows.isEmpty() ? null : parse(rows.get(0).get("payloadJson").asText());
    }

    static void assertProblem(ResponseEntity<String> answer, int status, String type) {
        assertThat(answer.getStatusCode().value()).as(answer.getBody()).isEqualTo(status);
        assertThat(answer.getHeaders().getContentType()).hasToString("application/problem+json");
        JsonNode problem = parse(answer.getBody());
        assertThat(problem.get("type").asText()).isEqualTo("urn:convtrail:problem:" + type);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(answer.getBody()).doesNotContain("Exception", "\tat ");
    }

    private static JsonNode parse(String json) {
        try {
            return json == null ? null : JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private RestClient http() {
        return LocalApi.client(port);
    }

    private long storedEvents() {
        return storeProbe.events();
    }
}
