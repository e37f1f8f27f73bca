package io.convtrail.query.trace;

import com.fasterxml.jackson.databind.JsonNode;
import io.convtrail.api.Stage;

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

    static StepBracket of(Stage stage, JsonNode payload) {
        return of(io.convtrail.api.stage.StepBracket.read(stage, payload));
    }

    private static StepBracket of(io.convtrail.api.stage.StepBracket read) {
        return new StepBracket(read.step(), read.stepClass(), read.sourceFile(), read.durationMs(), read.errorType(),
                read.errorMessage());
    }
}
