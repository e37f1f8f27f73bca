package io.convtrail.app.readside;

import org.junit.jupiter.api.Test;

import org.assertj.core.data.Offset;

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
    void underTheDelayBoundTurnsGoInAtTheProjectionsPaceNotAllAtOnce() {
        ReadSideBound bound = new ReadSideBound(2_000, TimeUnit.MILLISECONDS.toNanos(25));
        // 100 events not yet projected, room for 200 more within the delay bound at the projection's pace
        ReadSideReading reading = new ReadSideReading(100, 0, TimeUnit.MILLISECONDS.toNanos(10), true, 10_000, 40,
                System.nanoTime(), 200);

        int admitted = 0;
        while (reading.tryAdmit(bound)) {
            admitted++;
        }

        assertThat(admitted).as("5 turns of 40 events fill the 200; the event bound alone would let in 50").isEqualTo(5);
        assertThat(reading.holdsBack(bound)).as("paced turns wait for the next reading, they are not refused").isFalse();
    }

    @Test
    void withLessThanATurnsRoomOneTurnGoesInAndWithNoneNoTurn() {
        ReadSideBound bound = new ReadSideBound(2_000, TimeUnit.MILLISECONDS.toNanos(25));
        ReadSideReading little = new ReadSideReading(100, 0, 0, true, 10_000, 40, System.nanoTime(), 10);
        ReadSideReading none = new ReadSideReading(300, 0, 0, true, 10_000, 40, System.nanoTime(), -50);

        assertThat(little.tryAdmit(bound)).as("a slow projection still lets a turn in per reading").isTrue();
        assertThat(little.tryAdmit(bound)).isFalse();
        assertThat(none.tryAdmit(bound)).as("more owed than the projection commits within the bound").isFalse();
        assertThat(none.holdsBack(bound)).isFalse();
    }

    @Test
    void theProjectionsPaceIsLearntWhileItHadEventsToProjectAndProbedUpWhileItKeptUp() {
        ProjectionRate pace = new ProjectionRate();
        long reading = TimeUnit.MILLISECONDS.toNanos(20);
        long bound = TimeUnit.MILLISECONDS.toNanos(25);
        assertThat(pace.eventsWithin(bound)).as("no pace seen yet").isEqualTo(-1.0);
        pace.observe(5, reading, true);
        assertThat(pace.eventsWithin(bound)).as("it kept up from the start: nothing to learn").isEqualTo(-1.0);

        for (int i = 0; i < 50; i++) {
            pace.observe(200, reading, false);
        }
        assertThat(pace.eventsWithin(bound)).as("10,000 events/s: 250 in 25 ms").isEqualTo(250.0, Offset.offset(0.5));

        pace.observe(100, reading, true);
        assertThat(pace.eventsWithin(bound)).as("it kept up with what the turns gave it: probed a tenth higher")
                .isEqualTo(275.0, Offset.offset(0.5));
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
