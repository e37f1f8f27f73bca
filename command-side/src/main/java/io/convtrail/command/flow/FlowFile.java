package io.convtrail.command.flow;

import io.convtrail.command.flow.FlowDefinition.ResponseType;
import io.convtrail.command.flow.FlowDefinition.SlotType;
import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.Map;

/**
 * A flow file as written, bound by Jackson (unknown keys refused) and checked by Bean Validation;
 * field names, required fields and enums are those of {@code schema/flow.schema.json}.
 * {@link FlowParser} turns it into a {@link FlowDefinition} (regular expressions, templates,
 * references). Messages are the problems {@link FlowFileReader} reports at the offending path.
 */
record FlowFile(
        @Required @Text String id,
        @Required @Text String version,
        @Text String description,
        @Required @Text String initialState,
        @NotEmpty(message = "at least one state is required") List<@Mapping @Valid State> states,
        Map<String, List<@Required @Text String>> transitions,
        @Mapping @Valid Fallback fallback,
        @Mapping @Valid Reset reset,
        List<@Mapping @Valid Policy> policies,
        List<@Mapping @Valid Intent> intents,
        List<@Mapping @Valid Rule> rules,
        List<@Mapping @Valid Tool> tools,
        List<@Mapping @Valid Response> responses,
        List<@Mapping @Valid Verbose> verbose) {

    static final String REQUIRED = "is required";
    static final String NOT_TEXT = "must be a non-empty text";
    static final String NOT_MAPPING = "must be a mapping (key: value)";

    /** Present: a null or missing value is refused with {@link #REQUIRED}. */
    @NotNull(message = REQUIRED)
    @Documented
    @Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD,
            ElementType.TYPE_USE})
    @Retention(RetentionPolicy.RUNTIME)
    @Constraint(validatedBy = {})
    @interface Required {
        String message() default REQUIRED;

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};
    }

    /** When present, text with at least one non-blank character. */
    @Pattern(regexp = "(?s).*\\S.*", message = NOT_TEXT)
    @Documented
    @Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD,
            ElementType.TYPE_USE})
    @Retention(RetentionPolicy.RUNTIME)
    @Constraint(validatedBy = {})
    @ReportAsSingleViolation
    @interface Text {
        String message() default NOT_TEXT;

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};
    }

    /** A part that must be there and is a mapping; a missing one reads as "not a mapping", as it always has. */
    @NotNull(message = NOT_MAPPING)
    @Documented
    @Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD,
            ElementType.TYPE_USE})
    @Retention(RetentionPolicy.RUNTIME)
    @Constraint(validatedBy = {})
    @interface Mapping {
        String message() default NOT_MAPPING;

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};
    }

    record State(@Required @Text String name, Boolean terminal) {
    }

    record Fallback(@Required @Text String intent, @Required @Text String state) {
    }

    record Reset(List<@Required @Text String> keywords, @Required @Text String response) {
    }

    record Policy(@Required @Text String id, @Required @Text String pattern, @Required @Text String message) {
    }

    record Intent(@Required @Text String code, Integer priority, @Required @Text String initialState,
                  @NotEmpty(message = "at least one pattern (regex, contains or startsWith) is required")
                  List<@Mapping @Valid Matcher> match,
                  @Valid Schema schema) {
    }

    /** Exactly one of the three; {@link FlowParser} checks that. */
    record Matcher(@Text String regex, @Text String contains, @Text String startsWith) {
    }

    record Schema(@Required @Text String state,
                  @NotEmpty(message = "a schema needs at least one slot") List<@Mapping @Valid Slot> slots) {
    }

    record Slot(@Required @Text String name, @Required SlotType type, Boolean required,
                @Required @Text String question, @Text String invalidMessage, Double min, Double max,
                List<@Required @Text String> values, @Text String pattern) {
    }

    record Condition(@Text String intent, @Text String state, Boolean schemaComplete, @Text String input) {
    }

    record Rule(@Required @Text String id, @Mapping @Valid Condition when,
                @NotEmpty(message = "a rule needs at least one action") List<@Mapping @Valid Action> then) {
    }

    /** Exactly one of the four; {@link FlowParser} checks that. */
    record Action(@Text String setState, @Text String setIntent, @Valid SetSlot setSlot, @Text String callTool) {
    }

    record SetSlot(@Required @Text String name, @Required @Text String value) {
    }

    record Tool(@Required @Text String code, @Valid Condition when, @Mapping @Valid ToolVerbose verbose) {
    }

    record ToolVerbose(@Required @Text String before, @Required @Text String success, @Required @Text String error) {
    }

    record Response(@Required @Text String id, @Required @Text String intent, @Text String state, ResponseType type,
                    @Required @Text String template) {
    }

    record Verbose(@Required @Text String step, @Required @Text String determinant, @Text String intent,
                   @Text String state, @Text String ruleId, @Required @Text String text) {
    }
}
