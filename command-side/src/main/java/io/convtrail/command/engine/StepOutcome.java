package io.convtrail.command.engine;

/** Whether the pipeline goes on with the next deciding step, or skips to the answer (ConvEngine's names). */
public enum StepOutcome {
    Continue,
    Stop
}
