package io.convtrail.query.store;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

class PositionedEventsTest {

    @Test
    void anEventThatMovesTheStreamForwardSitsAtItsTokensPosition() {
        GapAwareTrackingToken before = GapAwareTrackingToken.newInstance(10, List.of());
        GapAwareTrackingToken after = before.advanceTo(13, 10_000);

        assertThat(PositionedEvents.ownIndex(before, after)).hasValue(13);
    }

    @Test
    void anEventFillingAGapLateIsNotAtItsTokensPosition() {
        GapAwareTrackingToken before = GapAwareTrackingToken.newInstance(10, List.of(7L));
        GapAwareTrackingToken after = before.advanceTo(7, 10_000);

        assertThat(after.position()).hasValue(10);
        assertThat(PositionedEvents.ownIndex(before, after)).isEmpty();
    }

    @Test
    void theFirstEventOfAStreamFromTheStartSitsAtItsTokensPosition() {
        assertThat(PositionedEvents.ownIndex(null, GapAwareTrackingToken.newInstance(1, List.of()))).hasValue(1);
    }

    @Test
    void aStoreWithoutGapsAlwaysGivesTheEventsOwnPosition() {
        assertThat(PositionedEvents.ownIndex(new GlobalSequenceTrackingToken(4), new GlobalSequenceTrackingToken(5)))
                .hasValue(5);
    }

    @Test
    void anEventWithoutATokenHasNoIndex() {
        assertThat(PositionedEvents.ownIndex(null, null)).isEqualTo(OptionalLong.empty());
    }
}
