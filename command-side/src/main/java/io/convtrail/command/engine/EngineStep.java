package io.convtrail.command.engine;

/**
 * One job of the pipeline. A step records its decisions through the session; the brackets around it
 * (STEP_ENTER / STEP_EXIT / STEP_ERROR) are {@link StepRunner}'s, never the step's.
 */
public interface EngineStep {

    StepOutcome run(TurnSession session);

    /** The name used in stages, verbose texts and the trace: the class's simple name. */
    default String name() {
        return getClass().getSimpleName();
    }
}
