package io.convtrail.command.engine;

import io.convtrail.api.stage.StepBracket;
import org.springframework.util.ClassUtils;

/**
 * The one place that brackets a step: STEP_ENTER before it, STEP_EXIT with its outcome and duration
 * after it, or STEP_ERROR with the error when it throws (the error then goes on to the engine). The
 * brackets' fields are the records of {@link StepBracket}.
 */
public final class StepRunner {

    public StepOutcome run(EngineStep step, TurnSession session) {
        Class<?> type = ClassUtils.getUserClass(step);
        String name = step.name();
        String stepClass = type.getName();
        String sourceFile = sourceFile(type);
        TurnRecorder recorder = session.record();
        recorder.bracket(new StepBracket.Enter(name, stepClass, sourceFile));
        long started = System.nanoTime();
        try {
            StepOutcome outcome = step.run(session);
            long durationMs = elapsedMs(started);
            recorder.bracket(new StepBracket.Exit(name, stepClass, sourceFile, outcome.name(), durationMs));
            recorder.timed(name, durationMs);
            return outcome;
        } catch (RuntimeException e) {
            long durationMs = elapsedMs(started);
            recorder.bracket(new StepBracket.Error(name, stepClass, sourceFile, durationMs, e.getClass().getName(),
                    String.valueOf(e.getMessage())));
            recorder.timed(name, durationMs);
            throw e;
        }
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
