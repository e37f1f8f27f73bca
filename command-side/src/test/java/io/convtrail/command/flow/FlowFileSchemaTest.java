package io.convtrail.command.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.command.flow.FlowDefinition.ResponseType;
import io.convtrail.command.flow.FlowDefinition.SlotType;
import jakarta.validation.constraints.NotEmpty;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The records the service binds flow files to and the published JSON Schema
 * ({@code schema/flow.schema.json}) describe the same format: each part has the same keys, the
 * same required keys and the same enum values, so a file an editor accepts is one the service reads.
 */
class FlowFileSchemaTest {

    private static final Map<Class<? extends Record>, String> PARTS = new LinkedHashMap<>();

    static {
        PARTS.put(FlowFile.class, "");
        PARTS.put(FlowFile.State.class, "/properties/states/items");
        PARTS.put(FlowFile.Fallback.class, "/properties/fallback");
        PARTS.put(FlowFile.Reset.class, "/properties/reset");
        PARTS.put(FlowFile.Policy.class, "/properties/policies/items");
        PARTS.put(FlowFile.Intent.class, "/properties/intents/items");
        PARTS.put(FlowFile.Matcher.class, "/definitions/matcher");
        PARTS.put(FlowFile.Schema.class, "/properties/intents/items/properties/schema");
        PARTS.put(FlowFile.Slot.class, "/definitions/slot");
        PARTS.put(FlowFile.Condition.class, "/definitions/condition");
        PARTS.put(FlowFile.Rule.class, "/properties/rules/items");
        PARTS.put(FlowFile.Action.class, "/definitions/action");
        PARTS.put(FlowFile.SetSlot.class, "/definitions/action/properties/setSlot");
        PARTS.put(FlowFile.Tool.class, "/properties/tools/items");
        PARTS.put(FlowFile.ToolVerbose.class, "/properties/tools/items/properties/verbose");
        PARTS.put(FlowFile.Response.class, "/properties/responses/items");
        PARTS.put(FlowFile.Verbose.class, "/properties/verbose/items");
    }

    @Test
    void everyRecordIsMappedToAPartOfTheSchema() {
        List<Class<?>> records = Stream.concat(Stream.of(FlowFile.class),
                Arrays.stream(FlowFile.class.getDeclaredClasses()).filter(Class::isRecord)).toList();
        assertThat(List.<Class<?>>copyOf(PARTS.keySet())).containsExactlyInAnyOrderElementsOf(records);
    }

    @Test
    void eachPartHasTheSameKeysAndRequiredKeys() throws IOException {
        JsonNode schema = schema();
        PARTS.forEach((part, pointer) -> {
            JsonNode object = schema.at(pointer);
            assertThat(object.path("additionalProperties").asBoolean(true)).as(pointer + " refuses unknown keys").isFalse();
            assertThat(names(object.path("properties").fieldNames())).as(part.getSimpleName() + " keys")
                    .isEqualTo(new TreeSet<>(Arrays.stream(part.getRecordComponents()).map(RecordComponent::getName).toList()));
            assertThat(names(object.path("required").elements())).as(part.getSimpleName() + " required keys")
                    .isEqualTo(new TreeSet<>(Arrays.stream(part.getRecordComponents()).filter(FlowFileSchemaTest::required)
                            .map(RecordComponent::getName).toList()));
        });
    }

    @Test
    void theEnumsAreTheSame() throws IOException {
        JsonNode schema = schema();
        assertThat(names(schema.at("/definitions/slot/properties/type/enum").elements())).isEqualTo(spellings(SlotType.values()));
        assertThat(names(schema.at("/properties/responses/items/properties/type/enum").elements()))
                .isEqualTo(spellings(ResponseType.values()));
    }

    private static boolean required(RecordComponent component) {
        Method accessor = component.getAccessor();
        return accessor.isAnnotationPresent(FlowFile.Required.class) || accessor.isAnnotationPresent(FlowFile.Mapping.class)
                || accessor.isAnnotationPresent(NotEmpty.class);
    }

    private static Set<String> spellings(Enum<?>... values) {
        Set<String> names = new TreeSet<>();
        for (Enum<?> value : values) {
            names.addAll(List.of(value.name(), value.name().toLowerCase(Locale.ROOT)));
        }
        return names;
    }

    private static Set<String> names(java.util.Iterator<?> items) {
        Set<String> names = new TreeSet<>();
        items.forEachRemaining(item -> names.add(item instanceof JsonNode node ? node.asText() : String.valueOf(item)));
        return names;
    }

    private static JsonNode schema() throws IOException {
        try (InputStream in = FlowFileSchemaTest.class.getResourceAsStream("/schema/flow.schema.json")) {
            assertThat(in).as("schema on the classpath").isNotNull();
            return new ObjectMapper().readTree(in);
        }
    }
}
