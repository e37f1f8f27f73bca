package io.convtrail.api.stage;

/** One entry of PIPELINE_TIMING's {@code steps}: how long a step took, in wire order. */
public record StepTiming(String step, long durationMs) {
}
