package io.convtrail.app.web;

import io.convtrail.app.LocalApi;
import com.fasterxml.jackson.databind.JsonNode;
import io.convtrail.app.ConvtrailIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The served OpenAPI document describes every REST endpoint, its parameters and its problem answers. */
@ConvtrailIntegrationTest
class OpenApiDocumentTest {

    @LocalServerPort
    int port;

    @Test
    void theDocumentListsTheConversationEndpoints() {
        JsonNode api = http().get().uri("/v3/api-docs").retrieve().body(JsonNode.class);
        JsonNode paths = api.get("paths");

        assertThat(api.at("/info/license/name").asText()).as("the LICENSE file's").isEqualTo("Apache-2.0");
        assertThat(paths.has("/api/v1/conversation/message")).isTrue();
        assertThat(paths.has("/api/v1/conversation/feedback")).isTrue();
        JsonNode audit = paths.at("/~1api~1v1~1conversation~1audit~1{conversationId}/get");
        JsonNode trace = paths.at("/~1api~1v1~1conversation~1audit~1{conversationId}~1trace/get");
        assertThat(audit.isMissingNode()).isFalse();
        assertThat(trace.isMissingNode()).isFalse();

        List<String> parameters = new ArrayList<>();
        audit.get("parameters").forEach(p -> parameters.add(p.get("name").asText()));
        assertThat(parameters).containsExactly("conversationId", "afterAuditId", "limit", "stage");
        for (JsonNode operation : List.of(audit, trace, paths.at("/~1api~1v1~1conversation~1message/post"),
                paths.at("/~1api~1v1~1conversation~1feedback/post"))) {
            assertThat(operation.at("/responses/400/content/application~1problem+json/schema/$ref").asText())
                    .isEqualTo("#/components/schemas/Problem");
        }
        assertThat(schema(api, paths.at("/~1api~1v1~1conversation~1message/post/requestBody/content/application~1json"
                + "/schema")).at("/properties/message/type").asText()).isEqualTo("string");
        assertThat(schema(api, paths.at("/~1api~1v1~1conversation~1feedback/post/requestBody/content/application~1json"
                + "/schema")).at("/properties/feedbackType/enum")).hasSize(2);

        JsonNode schemas = api.at("/components/schemas");
        assertThat(schemas.at("/ConversationTrace/properties").has("turns")).isTrue();
        assertThat(schemas.at("/TraceStage/properties/payload/type").asText()).isEqualTo("object");
        assertThat(schemas.at("/AuditRow/properties/payloadJson/type").asText()).isEqualTo("string");
        assertThat(schemas.at("/Problem/properties").has("detail")).isTrue();
    }

    @Test
    void theDocumentedBodiesAreTheOnesAnswered() {
        JsonNode api = http().get().uri("/v3/api-docs").retrieve().body(JsonNode.class);
        JsonNode turn = http().post().uri("/api/v1/conversation/message").contentType(MediaType.APPLICATION_JSON)
                .body("{\"message\":\"hello\"}").retrieve().body(JsonNode.class);
        JsonNode feedback = http().post().uri("/api/v1/conversation/feedback").contentType(MediaType.APPLICATION_JSON)
                .body("{\"conversationId\":\"" + turn.get("conversationId").asText() + "\",\"feedbackType\":\"THUMBS_UP\"}")
                .retrieve().body(JsonNode.class);

        assertThat(names(turn)).isEqualTo(names(api.at("/components/schemas/ConversationResponse/properties")));
        assertThat(names(feedback)).isEqualTo(names(schema(api, api.at("/paths/~1api~1v1~1conversation~1feedback/post"
                + "/responses/200/content/application~1json/schema")).get("properties")));
    }

    /** A schema given in place, or the component schema its {@code $ref} names (the request and response records). */
    private static JsonNode schema(JsonNode api, JsonNode schema) {
        String ref = schema.path("$ref").asText();
        return ref.isEmpty() ? schema : api.at(ref.substring(1));
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void swaggerUiIsServed() {
        String page = http().get().uri("/swagger-ui/index.html").retrieve().body(String.class);
        assertThat(page).contains("Swagger UI");
        ResponseEntity<Void> redirect = http().get().uri("/swagger-ui.html").retrieve().toBodilessEntity();
        assertThat(redirect.getStatusCode().is3xxRedirection()).isTrue();
        assertThat(redirect.getHeaders().getLocation()).hasToString("/swagger-ui/index.html");
    }

    @Test
    void theDocumentListsTheConversationListAndTheOverview() {
        JsonNode paths = http().get().uri("/v3/api-docs").retrieve().body(JsonNode.class).get("paths");
        JsonNode list = paths.at("/~1api~1v1~1conversations/get");
        List<String> parameters = new ArrayList<>();
        list.get("parameters").forEach(p -> parameters.add(p.get("name").asText()));
        assertThat(parameters).containsExactly("from", "to", "intent", "state", "outcome", "flowVersion", "owner",
                "q", "cursor", "limit");
        assertThat(list.at("/responses/400/content/application~1problem+json/schema/$ref").asText())
                .isEqualTo("#/components/schemas/Problem");
        assertThat(list.at("/responses/200/content/application~1json/schema/$ref").asText())
                .endsWith("/ConversationPage");
        assertThat(paths.at("/~1api~1v1~1overview/get").isMissingNode()).isFalse();
    }

    private RestClient http() {
        return LocalApi.strict(port);
    }
}
