package io.convtrail.app.console;

import io.convtrail.app.LocalApi;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClient;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the server side holds for a conversation: the truth the console's screen is checked against. */
final class RecordedConversation {

    private final RestClient http;
    private final JdbcClient jdbc;
    private final ObjectMapper json;

    RecordedConversation(int port, JdbcClient jdbc, ObjectMapper json) {
        this.http = LocalApi.strict(port);
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Runs a turn through the public API (not the page); {@code conversationId} null starts a conversation. */
    String post(String conversationId, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (conversationId != null) {
            body.put("conversationId", conversationId);
        }
        body.put("message", message);
        JsonNode answer = http.post().uri("/api/v1/conversation/message").contentType(MediaType.APPLICATION_JSON)
                .body(body).retrieve().body(JsonNode.class);
        return answer.get("conversationId").asText();
    }

    /** Stage and verbose records in the event store: the conversation's last stream position. */
    long recordCount(String conversationId) {
        return jdbc.sql("""
                        SELECT count(*) FROM domainevententry
                        WHERE aggregateidentifier = ?
                          AND (payloadtype LIKE '%.StageRecordedEvent' OR payloadtype LIKE '%.VerboseRecordedEvent')""")
                .param(conversationId).query(Long.class).single();
    }

    List<String> assistantOutputs(String conversationId) throws JsonProcessingException {
        List<String> outputs = new ArrayList<>();
        for (JsonNode row : auditRows(conversationId, "ASSISTANT_OUTPUT")) {
            outputs.add(json.readTree(row.get("payloadJson").asText()).get("output").asText());
        }
        return outputs;
    }

    int auditRowCount(String conversationId) {
        return auditRows(conversationId, null).size();
    }

    private JsonNode auditRows(String conversationId, String stage) {
        return http.get().uri(b -> {
            b.path("/api/v1/conversation/audit/{id}");
            if (stage != null) {
                b.queryParam("stage", stage);
            }
            return b.build(conversationId);
        }).retrieve().body(JsonNode.class);
    }
}
