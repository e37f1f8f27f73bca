package io.convtrail.command.engine;

import io.convtrail.api.Stage;
import org.springframework.util.ClassUtils;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one place that brackets a step: STEP_ENTER before it, STEP_EXIT with its outcome and duration
 * after it, or STEP_ERROR with the error when it throws (the error then goes on to the engine).
 */
public final class StepRunner {

    public StepOutcome run(EngineStep step, TurnSession session) {
        Class<?> type = ClassUtils.getUserClass(step);
        session.stage(Stage.STEP_ENTER, identity(step, type));
        long started = System.nanoTime();
        try {
            StepOutcome outcome = step.run(session);
            long durationMs = elapsedMs(started);
            Map<String, Object> exit = identity(step, type);
            exit.put("outcome", outcome.name());
            exit.put("durationMs", durationMs);
            session.stage(Stage.STEP_EXIT, exit);
            session.timed(step.name(), durationMs);
            return outcome;
        } catch (RuntimeException e) {
            long durationMs = elapsedMs(started);
            Map<String, Object> error = identity(step, type);
            error.put("durationMs", durationMs);
            error.put("errorType", e.getClass().getName());
            error.put("errorMessage", String.valueOf(e.getMessage()));
            session.stage(Stage.STEP_ERROR, error);
            session.timed(step.name(), durationMs);
            throw e;
        }
    }

    private static Map<String, Object> identity(EngineStep step, Class<?> type) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("step", step.name());
        fields.put("stepClass", type.getName());
        fields.put("sourceFile", sourceFile(type));
        return fields;
    }

    /** Java names a source file after its top-level class, so nested step classes report their outer file. */
    static String sourceFile(Class<?> type) {
        Class<?> topLevel = type;
        while (topLevel.getEnclosingClass() != null) {
            topLevel = topLevel.getEnclosingClass();
        }
        return topLevel.getSimpleName() + ".java";
    }

    private static long elapsedMs(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
