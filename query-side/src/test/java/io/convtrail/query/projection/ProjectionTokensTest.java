package io.convtrail.query.projection;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.MergedTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProjectionTokensTest {

    @Test
    void aTokenCoversAnEventItHasPassedAndNotOneItStillWaitsFor() {
        GapAwareTrackingToken token = GapAwareTrackingToken.newInstance(10, List.of(7L));

        assertThat(ProjectionTokens.covers(token, 10)).isTrue();
        assertThat(ProjectionTokens.covers(token, 8)).isTrue();
        assertThat(ProjectionTokens.covers(token, 7)).as("a gap: committed late, not yet applied").isFalse();
        assertThat(ProjectionTokens.covers(token, 11)).isFalse();
    }

    @Test
    void noTokenCoversNothing() {
        assertThat(ProjectionTokens.covers(null, 0)).isFalse();
    }

    @Test
    void aReplayCoversOnlyWhatItHasReplayedSoFar() {
        GapAwareTrackingToken beforeReset = GapAwareTrackingToken.newInstance(100, List.of());
        GapAwareTrackingToken replayedSoFar = GapAwareTrackingToken.newInstance(20, List.of());

        assertThat(ProjectionTokens.covers(ReplayToken.createReplayToken(beforeReset, replayedSoFar), 20)).isTrue();
        assertThat(ProjectionTokens.covers(ReplayToken.createReplayToken(beforeReset, replayedSoFar), 50)).isFalse();
        assertThat(ProjectionTokens.covers(ReplayToken.createReplayToken(beforeReset), 0)).isFalse();
    }

    @Test
    void aSegmentBeingMergedCoversOnlyWhatBothHalvesHavePassed() {
        GapAwareTrackingToken lowerHalf = GapAwareTrackingToken.newInstance(48, List.of());
        GapAwareTrackingToken upperHalf = GapAwareTrackingToken.newInstance(10, List.of());
        MergedTrackingToken merging = new MergedTrackingToken(lowerHalf, upperHalf);

        assertThat(ProjectionTokens.covers(merging, 10)).isTrue();
        assertThat(ProjectionTokens.covers(merging, 30)).as("the upper half has not handled it yet").isFalse();
        assertThat(ProjectionTokens.covers(ReplayToken.createReplayToken(GapAwareTrackingToken.newInstance(100,
                List.of()), merging), 30)).isFalse();
    }
}
