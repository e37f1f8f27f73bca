package io.convtrail.testsupport.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.testsupport.TestTokens;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * The one test client of convtrail's public API, for the integration tests and the bench: post a
 * message, read the audit, the trace, the chain verification and the export, each with a token.
 * JDK HTTP and Jackson only, so the bench (which starts the service as a child process) can use it.
 */
public final class ConvtrailApi implements AutoCloseable {

    public static final String MESSAGE = "/api/v1/conversation/message";
    public static final String AUDIT = "/api/v1/conversation/audit/";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private final String baseUrl;
    private final Function<String, String> authorization;
    private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "convtrail-api");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient http;

    /** {@code authorization}: the Authorization header for a path, null for none. */
    public ConvtrailApi(String baseUrl, Function<String, String> authorization) {
        this.baseUrl = baseUrl;
        this.authorization = authorization;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).executor(executor).build();
    }

    /** The app under test on this port, as an admin (the test secret of {@link TestTokens}). */
    public static ConvtrailApi local(int port) {
        return local(port, TestTokens.admin());
    }

    /** The same with the given token; null sends none. */
    public static ConvtrailApi local(int port, String token) {
        return new ConvtrailApi("http://localhost:" + port, path -> token == null ? null : TestTokens.bearer(token));
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** Runs one turn; answers the HTTP status. */
    public int turn(UUID conversationId, String message) {
        return send(postRequest(MESSAGE, body(conversationId, message)), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Runs one turn ({@code conversationId} null starts a conversation); answers the engine's answer, failing on any error status. */
    public JsonNode say(UUID conversationId, String message) {
        return ok(send(postRequest(MESSAGE, body(conversationId, message)), HttpResponse.BodyHandlers.ofString()));
    }

    /** The raw audit rows, of one stage when {@code stage} is not null. */
    public JsonNode audit(UUID conversationId, String stage) {
        return ok(get(AUDIT + conversationId + (stage == null ? "" : "?stage=" + URLEncoder.encode(stage, StandardCharsets.UTF_8))));
    }

    public JsonNode audit(UUID conversationId) {
        return audit(conversationId, null);
    }

    public JsonNode trace(UUID conversationId) {
        return ok(get(AUDIT + conversationId + "/trace"));
    }

    public JsonNode verify(UUID conversationId) {
        return ok(get(AUDIT + conversationId + "/verify"));
    }

    /** The conversation's NDJSON export, as text. */
    public String export(UUID conversationId) {
        HttpResponse<String> response = get(AUDIT + conversationId + "/export");
        require(response);
        return response.body();
    }

    public HttpResponse<String> get(String path) {
        return send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<byte[]> getBytes(String path) {
        return send(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** POSTs a JSON body ({@code json} null: none). */
    public HttpResponse<String> post(String path, String json) {
        return send(postRequest(path, json), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest postRequest(String path, String json) {
        return request(path).header("Content-Type", "application/json")
                .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build();
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT);
        String header = authorization.apply(path);
        if (header != null) {
            builder.header("Authorization", header);
        }
        return builder;
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) {
        try {
            return http.send(request, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String body(UUID conversationId, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (conversationId != null) {
            body.put("conversationId", conversationId.toString());
        }
        body.put("message", message);
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static JsonNode ok(HttpResponse<String> response) {
        require(response);
        try {
            return JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not JSON: " + response.body(), e);
        }
    }

    private static void require(HttpResponse<String> response) {
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(response.request().method() + " " + response.request().uri()
                    + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
