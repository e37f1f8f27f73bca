package io.convtrail.app.stream;

import io.convtrail.app.LocalApi;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.app.ConvtrailIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;
import org.yaml.snakeyaml.Yaml;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The AsyncAPI document and the envelope schema it points to are served, and agree with the seed. */
@ConvtrailIntegrationTest
class StreamDocumentsTest {

    @LocalServerPort
    int port;

    final ObjectMapper json = new ObjectMapper();

    @Test
    void theAsyncApiDocumentDescribesBothChannelsAndItsSchemaReferenceResolves() throws Exception {
        RestClient http = LocalApi.strict(port);
        String yaml = http.get().uri("/asyncapi.yaml").retrieve().body(String.class);
        JsonNode asyncApi = json.valueToTree(new Yaml().<Map<String, Object>>load(yaml));

        assertThat(asyncApi.get("asyncapi").asText()).isEqualTo("2.6.0");
        assertThat(asyncApi.get("channels").has("/api/v1/conversation/stream/{conversationId}")).isTrue();
        assertThat(asyncApi.get("channels").has("/topic/convengine/audit/{conversationId}")).isTrue();

        JsonNode messages = asyncApi.get("components").get("messages");
        for (String kind : List.of("audit", "verbose")) {
            String ref = messages.get(kind).get("payload").get("$ref").asText();
            assertThat(ref).startsWith("schema/stream-envelope.schema.json#/definitions/");
            String served = http.get().uri("/" + ref.substring(0, ref.indexOf('#'))).retrieve().body(String.class);
            try (InputStream published = getClass().getResourceAsStream("/schema/stream-envelope.schema.json")) {
                assertThat(json.readTree(served)).isEqualTo(json.readTree(published));
            }
            JsonNode definition = json.readTree(served).at(ref.substring(ref.indexOf('#') + 1));
            assertThat(definition.isMissingNode()).as(ref).isFalse();
            // the document's examples are the seed's v2.0.8 examples: the schema must accept them
            for (JsonNode example : messages.get(kind).get("examples")) {
                EnvelopeSchema.assertValid(example.get("payload"));
            }
        }
    }

    @Test
    void theSchemaRejectsWhatConvEngineGetsWrong() throws Exception {
        String audit = """
                {"eventType":"AUDIT","auditId":%s,"stage":%s,"createdAt":"2026-02-14T10:22:01.102Z",
                 "payload":{"_meta":{"stage":"STEP_ENTER","conversationId":"9bf7540a-b129-4685-a120-730e8a0cb94b"}},
                 "verbose":null}""";
        EnvelopeSchema.assertValid(json.readTree(audit.formatted("1", "\"STEP_ENTER\"")));
        assertThat(EnvelopeSchema.errors(json.readTree(audit.formatted("null", "\"STEP_ENTER\""))))
                .as("null auditId on an AUDIT envelope").isNotEmpty();
        assertThat(EnvelopeSchema.errors(json.readTree(audit.formatted("1", "\"RULE_MATCH (RulesStep)\""))))
                .as("a stage name with spaces").isNotEmpty();
        assertThat(EnvelopeSchema.errors(json.readTree(audit.formatted("1", "\"VERBOSE\""))))
                .as("an AUDIT envelope posing as VERBOSE").isNotEmpty();
    }
}
