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

    /**
     * The rebuild advances a token past an event once for all segments holding an equal one: the tokens
     * equal, event by event, those each segment would reach alone, over a gapped store, segments reset
     * at different positions (so their replays end at different events) and one already past its replay.
     */
    @Test
    void tokensSharedBySegmentsAreTheTokensEachWouldReachAlone() {
        TrackingToken[] alone = {
                ReplayToken.createReplayToken(AT_RESET, null),
                ReplayToken.createReplayToken(AT_RESET, null),
                ReplayToken.createReplayToken(GapAwareTrackingToken.newInstance(100, new TreeSet<>(List.of(10L, 20L))), null),
                ReplayToken.createReplayToken(GapAwareTrackingToken.newInstance(50, new TreeSet<>(List.of(10L))), null),
                GapAwareTrackingToken.newInstance(3, List.of())};
        TrackingToken[] shared = alone.clone();
        GapAwareTrackingToken previous = null;
        long index = 1;
        for (int page = 0; page < 6; page++) {
            List<GapAwareTrackingToken> events = new ArrayList<>();
            for (int i = 0; i < 20; i++, index++) {
                if (index == 10 || index == 20 || index == 61) {
                    continue;
                }
                GapAwareTrackingToken event = previous == null
                        ? GapAwareTrackingToken.newInstance(index, List.of()) : previous.advanceTo(index, 10_000);
                if (index > 70 && event.hasGaps()) {
                    event = event.withGapsTruncatedAt(index);
                }
                previous = event;
                events.add(event);
            }
            ReplayedProjection.TokenSteps steps = new ReplayedProjection.TokenSteps(events.size());
            for (int at = 0; at < events.size(); at++) {
                for (int segment = 0; segment < alone.length; segment++) {
                    alone[segment] = ReplayedProjection.advanced(alone[segment], events.get(at));
                    shared[segment] = steps.advanced(at, shared[segment], events.get(at));
                    assertThat(shared[segment]).as("segment %d at %d", segment, events.get(at).getIndex())
                            .isEqualTo(alone[segment]);
                    assertThat(ReplayToken.isReplay(shared[segment])).isEqualTo(ReplayToken.isReplay(alone[segment]));
                }
                if (events.get(at).getIndex() < 50) {
                    assertThat(shared[1]).as("advanced once for both segments reset at the same token")
                            .isSameAs(shared[0]).isSameAs(shared[2]);
                }
            }
        }
        assertThat(alone).allSatisfy(token -> assertThat(token).isNotInstanceOf(ReplayToken.class));
    }
}
