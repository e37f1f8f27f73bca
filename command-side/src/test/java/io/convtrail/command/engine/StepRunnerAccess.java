package io.convtrail.command.engine;

/** Lets step tests in other packages run a step through the real bracket. */
public final class StepRunnerAccess {

    private StepRunnerAccess() {
    }

    public static StepOutcome run(EngineStep step, TurnSession session) {
        return new StepRunner().run(step, session);
    }
}
