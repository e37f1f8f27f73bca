package io.convtrail.app.readside;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Turns let in on one reading fill the room under the bound at their estimated size, and no more. */
class ReadSideReadingTest {

    private static final ReadSideBound BOUND = ReadSideBound.events(500);

    @Test
    void turnsFillTheRoomUnderTheBoundAtTheirEstimatedSize() {
        ReadSideReading reading = new ReadSideReading(100, 100, 0, true, 10_000, 40, System.nanoTime());

        int admitted = 0;
        while (reading.tryAdmit(BOUND)) {
            admitted++;
        }

        assertThat(admitted).as("100 behind + 11 turns of 40 events = 540 > 500").isEqualTo(11);
        assertThat(reading.holdsBack(BOUND)).as("within the bound: a turn waits for the next reading, "
                + "it is not refused").isFalse();
    }

    @Test
    void aReadSideOverTheBoundLetsNoTurnIn() {
        ReadSideReading reading = new ReadSideReading(501, 501, 0, true, 10_000, 40, System.nanoTime());

        assertThat(reading.tryAdmit(BOUND)).isFalse();
        assertThat(reading.holdsBack(BOUND)).isTrue();
    }

    @Test
    void eventsInFlightHoldNoTurnBack() {
        ReadSideReading reading = new ReadSideReading(2_400, 100, 0, true, 10_000, 40, System.nanoTime());

        int admitted = 0;
        while (reading.tryAdmit(BOUND)) {
            admitted++;
        }

        assertThat(admitted).as("only the 100 events older than the in-flight window count: 11 turns fit")
                .isEqualTo(11);
        assertThat(reading.holdsBack(BOUND)).isFalse();
    }

    @Test
    void aReadSideHoldingAnEventLongerThanTheDelayBoundLetsNoTurnIn() {
        ReadSideBound bound = new ReadSideBound(500, TimeUnit.MILLISECONDS.toNanos(25));
        ReadSideReading late = new ReadSideReading(100, 100, TimeUnit.MILLISECONDS.toNanos(26), true, 10_000, 40,
                System.nanoTime());
        ReadSideReading current = new ReadSideReading(100, 100, TimeUnit.MILLISECONDS.toNanos(24), true, 10_000, 40,
                System.nanoTime());

        assertThat(late.tryAdmit(bound)).as("few events behind, but the oldest waits longer than 25 ms").isFalse();
        assertThat(late.holdsBack(bound)).isTrue();
        assertThat(current.tryAdmit(bound)).isTrue();
        assertThat(late.tryAdmit(ReadSideBound.events(500))).as("the delay bound off: events alone count").isTrue();
    }

    @Test
    void withNoLiveProjectionEveryTurnGoesIn() {
        ReadSideReading reading = ReadSideReading.unknown(10_000, 40);

        for (int i = 0; i < 1000; i++) {
            assertThat(reading.tryAdmit(BOUND)).isTrue();
        }
        assertThat(reading.holdsBack(BOUND)).isFalse();
    }

    @Test
    void theTurnSizeFollowsTheHeadsGrowthPerTurnLetIn() {
        TurnSize size = new TurnSize();
        assertThat(size.events()).as("before any turn").isEqualTo(40.0);

        for (int i = 0; i < 500; i++) {
            size.observe(120, 2);
        }

        assertThat(size.events()).isEqualTo(60.0, org.assertj.core.data.Offset.offset(0.5));
    }
}
