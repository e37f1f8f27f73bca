package io.convtrail.app.readside;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The head at the first reading inside a window: what was appended since is certainly younger than the window. */
class HeadHistoryTest {

    @Test
    void answersTheHeadAtTheOldestReadingAtOrAfterTheMoment() {
        HeadHistory history = new HeadHistory(4);
        history.add(100, 10);
        history.add(120, 30);
        history.add(140, 70);

        assertThat(history.headSince(110)).isEqualTo(30);
        assertThat(history.headSince(120)).isEqualTo(30);
        assertThat(history.headSince(50)).as("the window reaches past what is kept: the oldest kept").isEqualTo(10);
        assertThat(history.headSince(141)).as("no reading inside the window").isEqualTo(-1);
    }

    @Test
    void sparseReadingsTakeNothingOlderThanTheWindowForInFlight() {
        HeadHistory history = new HeadHistory(8);
        history.add(0, 100);
        // the next reading came 300 ms later, after 62 events were appended 50 ms into that gap
        history.add(300, 162);

        assertThat(history.headSince(300 - 200)).as("the 62 events may be 250 ms old: not in flight in a 200 ms window")
                .isEqualTo(162);
    }

    @Test
    void anEventIsAsOldAsTheFirstReadingThatSawIt() {
        HeadHistory history = new HeadHistory(4);
        history.add(100, 10);
        history.add(120, 30);
        history.add(140, 70);

        assertThat(history.firstPast(10, 140)).as("event 11 was first seen at 120").isEqualTo(120);
        assertThat(history.firstPast(30, 140)).isEqualTo(140);
        assertThat(history.firstPast(70, 140)).as("every event committed: the reading's own time").isEqualTo(140);
        assertThat(history.firstPast(5, 140)).as("seen before what is kept: at least as old as the oldest kept")
                .isEqualTo(100);
    }

    @Test
    void anEventSeenBeforeAPauseKeepsItsAge() {
        HeadHistory history = new HeadHistory(4);
        history.add(100, 10);
        history.clear();
        history.add(5_000, 90);

        assertThat(history.firstPast(5, 5_000)).as("event 6 was seen before the pause").isEqualTo(100);
        assertThat(history.firstPast(10, 5_000)).as("event 11 came during the pause: first seen after it")
                .isEqualTo(5_000);
        history.forget();
        assertThat(history.firstPast(5, 6_000)).isEqualTo(6_000);
    }

    @Test
    void keepsOnlyTheNewestReadings() {
        HeadHistory history = new HeadHistory(2);
        history.add(100, 10);
        history.add(120, 30);
        history.add(140, 70);

        assertThat(history.headSince(0)).isEqualTo(30);
    }

    @Test
    void forgetsEverythingAfterAPause() {
        HeadHistory history = new HeadHistory(4);
        history.add(100, 10);
        history.clear();
        history.add(5_000, 90);

        assertThat(history.headSince(4_000)).as("only the reading after the pause: nothing taken for in flight")
                .isEqualTo(90);
    }
}
