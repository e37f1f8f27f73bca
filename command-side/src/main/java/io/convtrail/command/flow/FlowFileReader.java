package io.convtrail.command.flow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

import java.io.IOException;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Reads a flow file's YAML into a {@link FlowFile} with Jackson and checks it with Bean Validation.
 * The first problem found is reported as a {@link FlowDefinitionException} naming the file, the path
 * inside it ({@code intents[1].match[0].regex}) and the problem, in the words the format has always used.
 */
final class FlowFileReader {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Strict binding: unknown keys, numbers as enums, and text where a number or boolean belongs are refused. */
    private static final ObjectMapper BINDER = strictBinder();

    private static final Validator VALIDATOR = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator();

    /** What a value of each target type must be, when the file gives something else. */
    private static final Map<Class<?>, String> EXPECTED = Map.of(
            String.class, FlowFile.NOT_TEXT,
            Integer.class, "must be a whole number",
            Double.class, "must be a number",
            Boolean.class, "must be true or false",
            List.class, "must be a list",
            Map.class, FlowFile.NOT_MAPPING);

    private FlowFileReader() {
    }

    static FlowFile read(String file, byte[] content) {
        JsonNode tree = tree(file, content);
        FlowFile flow;
        try {
            flow = BINDER.treeToValue(tree, FlowFile.class);
        } catch (JsonProcessingException e) {
            throw translate(file, e);
        }
        if (flow == null) {
            throw new FlowDefinitionException(file, "", FlowFile.NOT_MAPPING);
        }
        List<ConstraintViolation<FlowFile>> violations = VALIDATOR.validate(flow).stream()
                .sorted(Comparator.comparing((ConstraintViolation<FlowFile> v) -> path(v.getPropertyPath()))
                        .thenComparing(ConstraintViolation::getMessage))
                .toList();
        if (!violations.isEmpty()) {
            ConstraintViolation<FlowFile> first = violations.get(0);
            throw new FlowDefinitionException(file, path(first.getPropertyPath()), first.getMessage());
        }
        return flow;
    }

    private static JsonNode tree(String file, byte[] content) {
        JsonNode tree;
        try {
            tree = YAML.readTree(content);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new FlowDefinitionException(file, where, "not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new FlowDefinitionException(file, "", "cannot be read: " + e.getMessage());
        }
        if (tree == null || tree.isMissingNode()) {
            throw new FlowDefinitionException(file, "", "the file is empty");
        }
        return tree;
    }

    private static FlowDefinitionException translate(String file, JsonProcessingException e) {
        String path = e instanceof JsonMappingException mapping ? path(mapping.getPath()) : "";
        if (e instanceof UnrecognizedPropertyException unknown) {
            return new FlowDefinitionException(file, path, "unknown key '" + unknown.getPropertyName()
                    + "'; expected one of " + expected(unknown.getKnownPropertyIds()));
        }
        if (e instanceof InvalidFormatException format && format.getTargetType() != null
                && format.getTargetType().isEnum()) {
            return new FlowDefinitionException(file, path, "'" + format.getValue() + "' is not one of "
                    + Arrays.toString(format.getTargetType().getEnumConstants()));
        }
        Class<?> target = targetType(e);
        if (target != null) {
            if (target.isEnum()) {
                return new FlowDefinitionException(file, path, FlowFile.NOT_TEXT);
            }
            return new FlowDefinitionException(file, path, EXPECTED.entrySet().stream()
                    .filter(expected -> expected.getKey().isAssignableFrom(target))
                    .map(Map.Entry::getValue).findFirst()
                    .orElse(target.isRecord() ? FlowFile.NOT_MAPPING : e.getOriginalMessage()));
        }
        return new FlowDefinitionException(file, path, e.getOriginalMessage());
    }

    /** The Java type Jackson was reading when the file's value did not fit, if it says. */
    private static Class<?> targetType(JsonProcessingException e) {
        if (e instanceof MismatchedInputException mismatch) {
            return mismatch.getTargetType();
        }
        if (e.getCause() instanceof InputCoercionException coercion && coercion.getTargetType() != null) {
            return MethodType.methodType(coercion.getTargetType()).wrap().returnType();
        }
        return null;
    }

    private static List<String> expected(Collection<Object> known) {
        return known.stream().map(String::valueOf).sorted().toList();
    }

    /** Jackson's reference chain in the format's notation: {@code rules[0].then[1].setState}. */
    private static String path(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            } else if (reference.getFieldName() != null) {
                field(path, reference.getFieldName());
            }
        }
        return path.toString();
    }

    /** A Bean Validation property path in the same notation; container elements add only their index or key. */
    private static String path(Path property) {
        StringBuilder path = new StringBuilder();
        for (Path.Node node : property) {
            if (node.getIndex() != null) {
                path.append('[').append(node.getIndex()).append(']');
            } else if (node.getKey() != null) {
                field(path, String.valueOf(node.getKey()));
            }
            if (node.getName() != null && !node.getName().startsWith("<")) {
                field(path, node.getName());
            }
        }
        return path.toString();
    }

    private static void field(StringBuilder path, String name) {
        path.append(path.isEmpty() ? "" : ".").append(name);
    }

    private static ObjectMapper strictBinder() {
        JsonMapper mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                .build();
        for (LogicalType numberOrFlag : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
            mapper.coercionConfigFor(numberOrFlag)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        return mapper;
    }
}
