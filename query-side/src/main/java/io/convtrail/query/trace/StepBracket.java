package io.convtrail.query.trace;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.api.Stage;
import io.convtrail.api.stage.StepBracket.Error;
import io.convtrail.api.stage.StepBracket.Exit;

/**
 * What a STEP_ENTER, STEP_EXIT or STEP_ERROR payload says about its step, as the trace tables keep
 * it. Read through the contract's {@link io.convtrail.api.stage.StepBracket} records: fields the
 * engine left out are null; a durationMs that is not a number is treated as absent, as ConvEngine does.
 */
record StepBracket(String step, String stepClass, String sourceFile, Long durationMs, String errorType,
                   String errorMessage) {

    /** A bracket whose stage its {@code _meta} names. */
    static StepBracket of(JsonNode payload) {
        return of(io.convtrail.api.stage.StepBracket.read(payload));
    }

    /** A bracket of a known stage from its payload's text, read without a tree where it can be. */
    static StepBracket of(Stage stage, String payload, ObjectMapper json) throws JsonProcessingException {
        return of(io.convtrail.api.stage.StepBracket.read(stage, payload, json));
    }

    private static StepBracket of(io.convtrail.api.stage.StepBracket read) {
        if (read instanceof Error error) {
            return new StepBracket(error.step(), error.stepClass(), error.sourceFile(), error.durationMs(),
                    error.errorType(), error.errorMessage());
        }
        Long durationMs = read instanceof Exit exit ? exit.durationMs() : null;
        return new StepBracket(read.step(), read.stepClass(), read.sourceFile(), durationMs, null, null);
    }
}
