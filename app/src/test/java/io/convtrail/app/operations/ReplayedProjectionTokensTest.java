package io.convtrail.app.operations;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackingToken;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rebuild marks as replayed exactly the events the projection had handled before the reset, by
 * global index, whatever gaps the token at the reset lists and the rebuild's pages leave out: the
 * pages ({@code EventPages}) drop a gap once an event after it is older than 60 s, while the token a
 * processor held at the reset may still list it. A replayed event marked new would be pushed to the
 * live streams again.
 */
class ReplayedProjectionTokensTest {

    /** Indexes 10 and 20 were skipped in the store (transactions rolled back); the processor was at 100. */
    private static final GapAwareTrackingToken AT_RESET =
            GapAwareTrackingToken.newInstance(100, new TreeSet<>(List.of(10L, 20L)));

    @Test
    void everyEventUpToTheResetIsAReplayAndTheFirstAfterItIsNew() {
        for (boolean pagesDroppedTheGaps : new boolean[]{false, true}) {
            List<Long> markedNew = new ArrayList<>();
            TrackingToken token = ReplayToken.createReplayToken(AT_RESET, null);
            GapAwareTrackingToken previous = null;
            for (long index = 1; index <= 105; index++) {
                if (index == 10 || index == 20) {
                    continue;
                }
                // as EventPages builds the token of the event at this index
                GapAwareTrackingToken event = previous == null
                        ? GapAwareTrackingToken.newInstance(index, List.of()) : previous.advanceTo(index, 10_000);
                if (pagesDroppedTheGaps && event.hasGaps()) {
                    event = event.withGapsTruncatedAt(index);
                }
                previous = event;
                token = ReplayedProjection.advanced(token, event);
                if (!ReplayToken.isReplay(token)) {
                    markedNew.add(index);
                }
            }

            assertThat(markedNew).as("events marked new, pages dropped the old gaps: " + pagesDroppedTheGaps)
                    .containsExactly(101L, 102L, 103L, 104L, 105L);
            assertThat(token).as("the replay ended at the first event after the reset")
                    .isNotInstanceOf(ReplayToken.class);
        }
    }

    @Test
    void anEventThatFilledAGapOfTheTokenAtTheResetIsNew() {
        TrackingToken token = ReplayToken.createReplayToken(AT_RESET, null);
        token = ReplayedProjection.advanced(token, GapAwareTrackingToken.newInstance(9, List.of()));
        assertThat(ReplayToken.isReplay(token)).isTrue();

        // committed after the reset into an index the processor had not seen: never handled, so never pushed yet
        token = ReplayedProjection.advanced(token, GapAwareTrackingToken.newInstance(10, List.of()));

        assertThat(ReplayToken.isReplay(token)).isFalse();
    }
}
