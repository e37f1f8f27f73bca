package io.convtrail.app.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.convtrail.testsupport.TestTokens;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** A plain HTTP client of the service under a fault: every answer is kept, none is assumed. */
final class FaultClient {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private volatile String baseUrl;

    FaultClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** Points the client at a restarted service. */
    void baseUrl(String url) {
        this.baseUrl = url;
    }

    /** One turn's answer: status, content type, body, and how long it took. */
    record Answer(int status, String contentType, JsonNode body, Duration took) {

        boolean isProblem() {
            return contentType.startsWith("application/problem+json") && body.has("status") && body.has("title");
        }
    }

    /** Posts a turn; a connection refused or reset (the service is down) is status -1. */
    Answer turn(UUID conversationId, String message) throws InterruptedException {
        ObjectNode request = JSON.createObjectNode().put("conversationId", conversationId.toString())
                .put("message", message);
        long started = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl
                                    + "/api/v1/conversation/message"))
                            .timeout(Duration.ofSeconds(60))
                            .header("content-type", "application/json")
                            .header("authorization", TestTokens.adminBearer())
                            .POST(HttpRequest.BodyPublishers.ofString(request.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().firstValue("content-type").orElse(""),
                    parse(response.body()), Duration.ofNanos(System.nanoTime() - started));
        } catch (IOException e) {
            return new Answer(-1, "", JSON.createObjectNode().put("error", e.toString()),
                    Duration.ofNanos(System.nanoTime() - started));
        }
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("authorization", TestTokens.adminBearer())
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return parse(response.body());
    }

    JsonNode trace(UUID conversationId) throws IOException, InterruptedException {
        return get("/api/v1/conversation/audit/" + conversationId + "/trace");
    }

    JsonNode verify(UUID conversationId) throws IOException, InterruptedException {
        return get("/api/v1/conversation/audit/" + conversationId + "/verify");
    }

    List<String> auditStages(UUID conversationId) throws IOException, InterruptedException {
        List<String> stages = new ArrayList<>();
        get("/api/v1/conversation/audit/" + conversationId).forEach(row -> stages.add(row.get("stage").asText()));
        return stages;
    }

    /** Each projection's segments per node, from {@code /actuator/projections}: {projection: {node: count}}. */
    Map<String, Map<String, Integer>> segmentShares() throws IOException, InterruptedException {
        Map<String, Map<String, Integer>> shares = new TreeMap<>();
        get("/actuator/projections").get("projections").fields().forEachRemaining(projection -> {
            Map<String, Integer> perNode = new TreeMap<>();
            projection.getValue().get("owners").fields().forEachRemaining(owner ->
                    perNode.put(owner.getKey(), owner.getValue().size()));
            shares.put(projection.getKey(), perNode);
        });
        return shares;
    }

    /** Waits until every projection has reached the event store's head. */
    void awaitProjectionsCaughtUp(Duration atMost) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (true) {
            JsonNode state = get("/actuator/projections");
            boolean caughtUp = true;
            for (JsonNode projection : state.get("projections")) {
                caughtUp &= projection.get("lag").asLong() == 0;
            }
            if (caughtUp) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("projections did not catch up within " + atMost + ": " + state);
            }
            Thread.sleep(200);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException notJson) {
            return JSON.createObjectNode().put("raw", body);
        }
    }
}
