package io.convtrail.app.engine;

import io.convtrail.app.LocalApi;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/** Talks to a running convtrail over HTTP the way a client would, and reads its audit back by turn. */
final class ConversationClient {

    /** One turn's audit rows: stage names in order, and their parsed payloads. */
    record TurnAudit(String turnId, List<String> stages, List<JsonNode> payloads) {

        List<String> decisionStages() {
            return stages.stream().filter(s -> !s.startsWith("STEP_")).toList();
        }

        List<String> steps() {
            List<String> steps = new ArrayList<>();
            for (int i = 0; i < stages.size(); i++) {
                if (stages.get(i).equals("STEP_ENTER")) {
                    steps.add(payloads.get(i).get("step").asText());
                }
            }
            return steps;
        }

        JsonNode payload(String stage) {
            return payloads.get(stages.indexOf(stage));
        }
    }

    private final RestClient http;
    private final ObjectMapper json = new ObjectMapper();
    final UUID conversationId = UUID.randomUUID();

    ConversationClient(int port) {
        this.http = LocalApi.client(port);
    }

    JsonNode say(String message) {
        return post(Map.of("conversationId", conversationId.toString(), "message", message));
    }

    JsonNode post(Map<String, Object> body) {
        return http.post().uri("/api/v1/conversation/message").contentType(MediaType.APPLICATION_JSON)
                .body(body).retrieve().body(JsonNode.class);
    }

    RestClient http() {
        return http;
    }

    /** Waits until the audit projection holds {@code turns} complete turns, then answers them in order. */
    List<TurnAudit> auditByTurn(int turns, Predicate<String> turnEnd) {
        List<List<TurnAudit>> result = new ArrayList<>();
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            List<TurnAudit> audit = auditByTurn();
            result.clear();
            result.add(audit);
            return audit.size() == turns && audit.stream().allMatch(t -> t.stages().stream().anyMatch(turnEnd));
        });
        return result.get(0);
    }

    List<TurnAudit> auditByTurn() {
        JsonNode rows = http.get().uri("/api/v1/conversation/audit/{id}", conversationId).retrieve()
                .body(JsonNode.class);
        Map<String, TurnAudit> turns = new LinkedHashMap<>();
        for (JsonNode row : rows) {
            JsonNode payload = read(row.get("payloadJson").asText());
            JsonNode turnId = payload.get("_meta").get("turnId");
            String key = turnId == null || turnId.isNull() ? "outside-turns" : turnId.asText();
            TurnAudit turn = turns.computeIfAbsent(key, k -> new TurnAudit(k, new ArrayList<>(), new ArrayList<>()));
            turn.stages().add(row.get("stage").asText());
            turn.payloads().add(payload);
        }
        return new ArrayList<>(turns.values());
    }

    JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
