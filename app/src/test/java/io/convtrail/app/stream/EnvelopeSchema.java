package io.convtrail.app.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The published envelope schema (api-contract), applied to what the streams actually send. */
final class EnvelopeSchema {

    private static final JsonSchema SCHEMA = load();

    private EnvelopeSchema() {
    }

    static void assertValid(JsonNode envelope) {
        assertThat(errors(envelope)).as("envelope %s against stream-envelope.schema.json", envelope).isEmpty();
    }

    static Set<ValidationMessage> errors(JsonNode envelope) {
        return SCHEMA.validate(envelope);
    }

    private static JsonSchema load() {
        try (InputStream in = EnvelopeSchema.class.getResourceAsStream("/schema/stream-envelope.schema.json")) {
            assertThat(in).as("schema on the classpath").isNotNull();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
