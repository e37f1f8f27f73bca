package io.convtrail.app.consistency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.app.LocalApi;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A read the read model cannot answer completely within {@code convtrail.read.consistency-timeout}
 * (5 s by default) says so with 503 problem+json and Retry-After instead of a partial answer, and
 * answers in full once the projection has caught up. The audit processor is stopped to hold it back.
 */
@ConvtrailIntegrationTest
class ReadModelBehindTest {

    @LocalServerPort
    int port;

    @Autowired
    EventProcessingConfiguration processing;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aReadModelThatCannotCatchUpInTimeAnswers503WithRetryAfter() throws Exception {
        RestClient http = LocalApi.client(port);
        StreamingEventProcessor audit = processing.eventProcessor("audit", StreamingEventProcessor.class).orElseThrow();
        UUID id = UUID.randomUUID();
        audit.shutdownAsync().join();
        try {
            assertThat(http.post().uri("/api/v1/conversation/message").contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of("conversationId", id.toString(), "message", "What are your interest rates?"))
                    .retrieve().toEntity(String.class).getStatusCode().value()).isEqualTo(200);

            ResponseEntity<String> behind = http.get().uri("/api/v1/conversation/audit/" + id).retrieve()
                    .toEntity(String.class);

            assertThat(behind.getStatusCode().value()).isEqualTo(503);
            assertThat(behind.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
            assertThat(behind.getHeaders().getFirst("Retry-After")).isEqualTo("1");
            JsonNode problem = json.readTree(behind.getBody());
            assertThat(problem.get("type").asText()).isEqualTo("urn:convtrail:problem:read-model-behind");
            assertThat(problem.get("projection").asText()).isEqualTo("audit");
        } finally {
            audit.start();
        }
        JsonNode rows = json.readTree(http.get().uri("/api/v1/conversation/audit/" + id).retrieve().body(String.class));
        assertThat(rows.findValuesAsText("stage")).contains("USER_INPUT", "ASSISTANT_OUTPUT");
    }
}
