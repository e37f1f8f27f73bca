package io.convtrail.command.engine.step;

import io.convtrail.api.Stage;
import io.convtrail.command.engine.StageFields;
import io.convtrail.command.engine.EngineStep;
import io.convtrail.command.engine.StepOutcome;
import io.convtrail.command.engine.TurnRecorder;
import io.convtrail.command.engine.TurnSession;

/** Records how long the turn and each step before this one took. */
public class PipelineEndGuardStep implements EngineStep {

    @Override
    public StepOutcome run(TurnSession session) {
        TurnRecorder recorder = session.record();
        recorder.stage(Stage.PIPELINE_TIMING, StageFields.of("totalMs", recorder.elapsedMs(), "steps",
                recorder.stepTimings()));
        return StepOutcome.Continue;
    }
}
