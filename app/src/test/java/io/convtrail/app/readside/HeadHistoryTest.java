package io.convtrail.app.readside;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The head as it was at an earlier moment, from the readings kept. */
class HeadHistoryTest {

    @Test
    void answersTheHeadAtTheNewestReadingAtOrBeforeTheMoment() {
        HeadHistory history = new HeadHistory(4);
        history.add(100, 10);
        history.add(120, 30);
        history.add(140, 70);

        assertThat(history.headAt(130)).isEqualTo(30);
        assertThat(history.headAt(140)).isEqualTo(70);
        assertThat(history.headAt(99)).as("nothing kept that far back").isEqualTo(-1);
    }

    @Test
    void keepsOnlyTheNewestReadings() {
        HeadHistory history = new HeadHistory(2);
        history.add(100, 10);
        history.add(120, 30);
        history.add(140, 70);

        assertThat(history.headAt(130)).isEqualTo(30);
        assertThat(history.headAt(110)).isEqualTo(-1);
    }

    @Test
    void forgetsEverythingAfterAPause() {
        HeadHistory history = new HeadHistory(4);
        history.add(100, 10);
        history.clear();
        history.add(5_000, 90);

        assertThat(history.headAt(4_000)).isEqualTo(-1);
        assertThat(history.headAt(5_000)).isEqualTo(90);
    }
}
