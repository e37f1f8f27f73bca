package io.convtrail.api.stage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.api.Stage;

/**
 * The fields of a step bracket, after {@code _meta}: STEP_ENTER ({@link Enter}), STEP_EXIT
 * ({@link Exit}) and STEP_ERROR ({@link Error}). Each record's components are its wire fields, in
 * wire order. The engine's {@code StepRunner} is the only writer; the trace projection and the tests
 * read them back with {@link #read}.
 */
public sealed interface StepBracket {

    /** The step's name (the class's simple name), what the trace groups by. */
    String step();

    String stepClass();

    /** The step's source file: a nested class reports its top-level class's file. */
    String sourceFile();

    Stage stage();

    record Enter(String step, String stepClass, String sourceFile) implements StepBracket {
        @Override
        public Stage stage() {
            return Stage.STEP_ENTER;
        }
    }

    /** {@code outcome}: Continue, or Stop when the step decided the answer. */
    record Exit(String step, String stepClass, String sourceFile, String outcome, Long durationMs)
            implements StepBracket {
        @Override
        public Stage stage() {
            return Stage.STEP_EXIT;
        }
    }

    record Error(String step, String stepClass, String sourceFile, Long durationMs, String errorType,
                 String errorMessage) implements StepBracket {
        @Override
        public Stage stage() {
            return Stage.STEP_ERROR;
        }
    }

    /**
     * Reads a stored bracket as its {@code _meta.stage} says (without one: an error if it names an
     * error, an exit if it has an outcome or a duration, else an enter). Lenient: a missing field is
     * null, a duration given as text is read, one that is not a number is treated as absent.
     */
    static StepBracket read(JsonNode payload) {
        Stage stage = StageMeta.read(payload).stage();
        if (stage == null) {
            stage = payload.has("errorType") || payload.has("errorMessage") ? Stage.STEP_ERROR
                    : payload.has("outcome") || payload.has("durationMs") ? Stage.STEP_EXIT : Stage.STEP_ENTER;
        }
        return read(stage, payload);
    }

    /**
     * As {@link #read(Stage, JsonNode)} of {@code payload} parsed by {@code json}, without building the tree
     * where the bracket's fields are plain strings and numbers ({@link StreamedBrackets}): two stored stages in
     * three are brackets, and the trace reads each one, live and on every rebuild.
     */
    static StepBracket read(Stage stage, String payload, ObjectMapper json) throws JsonProcessingException {
        StepBracket streamed = StreamedBrackets.read(stage, payload, json.getFactory());
        return streamed != null ? streamed : read(stage, json.readTree(payload));
    }

    /** Reads a stored bracket of a known stage (STEP_EXIT, STEP_ERROR; any other is read as an enter). */
    static StepBracket read(Stage stage, JsonNode payload) {
        String step = JsonFields.text(payload, "step");
        String stepClass = JsonFields.text(payload, "stepClass");
        String sourceFile = JsonFields.text(payload, "sourceFile");
        return switch (stage) {
            case STEP_EXIT -> new Exit(step, stepClass, sourceFile, JsonFields.text(payload, "outcome"),
                    JsonFields.number(payload, "durationMs"));
            case STEP_ERROR -> new Error(step, stepClass, sourceFile, JsonFields.number(payload, "durationMs"),
                    JsonFields.text(payload, "errorType"), JsonFields.text(payload, "errorMessage"));
            default -> new Enter(step, stepClass, sourceFile);
        };
    }
}
