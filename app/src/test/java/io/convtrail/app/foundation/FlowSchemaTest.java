package io.convtrail.app.foundation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.app.LocalApi;
import io.convtrail.command.flow.FlowParser;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The published JSON Schema of flow files ({@code /schema/flow.schema.json}, from
 * {@code command-side/src/main/resources/schema/}): editors that read it complete and check flow files;
 * it must accept every flow the service accepts (the shipped demo and the tests' flows) and catch the
 * mistakes an editor can see (a typo in a key, a missing part).
 */
@ConvtrailIntegrationTest
class FlowSchemaTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @LocalServerPort
    int port;

    @Test
    void theShippedDemoFlowValidates() throws IOException {
        byte[] demo = Files.readAllBytes(ROOT.resolve("command-side/src/main/resources/flows/demo.yml"));

        assertThat(errors(YAML.readTree(demo))).isEmpty();
        assertThat(FlowParser.parse("demo.yml", demo).id()).as("and the service reads it").isEqualTo("loan-demo");
    }

    @Test
    void everyFlowTheTestsLoadValidates() throws IOException {
        List<Path> flows;
        try (Stream<Path> files = Files.walk(ROOT.resolve("app/src/test/resources/test-flows"))) {
            flows = files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml")).toList();
        }
        assertThat(flows).isNotEmpty();
        for (Path flow : flows) {
            FlowParser.parse(flow.getFileName().toString(), Files.readAllBytes(flow));
            assertThat(errors(YAML.readTree(flow.toFile()))).as(flow.toString()).isEmpty();
        }
    }

    @Test
    void aTypoAMissingPartAndTwoPatternsInOneMatcherAreCaught() throws IOException {
        JsonNode demo = YAML.readTree(ROOT.resolve("command-side/src/main/resources/flows/demo.yml").toFile());

        ObjectNode typo = demo.deepCopy();
        typo.set("intitalState", typo.remove("initialState"));
        assertThat(errors(typo)).extracting(ValidationMessage::getMessage)
                .anySatisfy(m -> assertThat(m).contains("intitalState"))
                .anySatisfy(m -> assertThat(m).contains("initialState"));

        ObjectNode noFallback = demo.deepCopy();
        noFallback.remove("fallback");
        assertThat(errors(noFallback)).extracting(ValidationMessage::getMessage)
                .anySatisfy(m -> assertThat(m).contains("fallback"));

        ObjectNode twoPatterns = demo.deepCopy();
        ((ObjectNode) twoPatterns.at("/intents/0/match/0")).put("contains", "loan").put("regex", "loan");
        assertThat(errors(twoPatterns)).isNotEmpty();
    }

    @Test
    void theServicePublishesTheSchema() throws IOException {
        ResponseEntity<String> served = LocalApi.client(port).get().uri("/schema/flow.schema.json")
                .retrieve().toEntity(String.class);

        assertThat(served.getStatusCode().value()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(served.getBody()))
                .isEqualTo(new ObjectMapper().readTree(ROOT.resolve("command-side/src/main/resources/schema/flow.schema.json")
                        .toFile()));
    }

    private static Set<ValidationMessage> errors(JsonNode flow) throws IOException {
        try (InputStream in = FlowSchemaTest.class.getResourceAsStream("/schema/flow.schema.json")) {
            assertThat(in).as("schema on the classpath").isNotNull();
            JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
            return schema.validate(flow);
        }
    }
}
