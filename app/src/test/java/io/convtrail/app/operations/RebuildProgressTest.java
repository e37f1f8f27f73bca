package io.convtrail.app.operations;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The rebuild's progress and its estimate, from the replay rate so far. */
class RebuildProgressTest {

    private static final Instant STARTED = Instant.parse("2026-11-30T04:00:00Z");

    @Test
    void aQuarterDoneInTenSecondsHasThirtySecondsLeft() {
        RebuildProgress progress = RebuildProgress.of(STARTED, 100_000, 25_000L, STARTED.plusSeconds(10));

        assertThat(progress.done()).isEqualTo(25_000);
        assertThat(progress.percent()).isEqualTo(25);
        assertThat(progress.eventsPerSecond()).isEqualTo(2_500);
        assertThat(progress.secondsLeft()).isEqualTo(30);
        assertThat(progress.estimatedEndAt()).isEqualTo("2026-11-30T04:00:40Z");
        assertThat(progress.describe("trace"))
                .isEqualTo("Rebuild of trace: 25000/100000 events (25%), 2500 events/s, about 30 s left");
    }

    @Test
    void beforeTheFirstEventThereIsNoEstimate() {
        RebuildProgress progress = RebuildProgress.of(STARTED, 100_000, null, STARTED.plusSeconds(3));

        assertThat(progress.done()).isZero();
        assertThat(progress.secondsLeft()).isNull();
        assertThat(progress.describe("audit")).endsWith("0 events/s, no estimate yet");
    }

    @Test
    void reachingTheTargetFinishes() {
        RebuildProgress progress = RebuildProgress.of(STARTED, 500, 512L, STARTED.plusSeconds(2));

        assertThat(progress.finished()).isTrue();
        assertThat(progress.done()).isEqualTo(500);
        assertThat(progress.percent()).isEqualTo(100);
        assertThat(progress.describe("audit")).isEqualTo("Rebuild of audit finished: 500 events");
    }
}
