package io.convtrail.query.store;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class PositionedEventsTest {

    @Test
    void anEventThatMovesTheStreamForwardSitsAtItsTokensPosition() {
        GapAwareTrackingToken before = GapAwareTrackingToken.newInstance(10, List.of());
        GapAwareTrackingToken after = before.advanceTo(13, 10_000);

        assertThat(PositionedEvents.ownIndex(before, after)).hasValue(13);
    }

    @Test
    void anEventFillingAGapLateSitsAtTheGapItFilled() {
        GapAwareTrackingToken before = GapAwareTrackingToken.newInstance(10, List.of(7L));
        GapAwareTrackingToken after = before.advanceTo(7, 10_000);

        assertThat(after.position()).hasValue(10);
        assertThat(PositionedEvents.ownIndex(before, after)).hasValue(7);
    }

    @Test
    void aFillerAmongOtherGapsSitsAtTheOneItsTokenNoLongerHas() {
        GapAwareTrackingToken before = GapAwareTrackingToken.newInstance(20, List.of(3L, 11L, 12L, 18L));

        for (long gap : List.of(3L, 11L, 12L, 18L)) {
            assertThat(PositionedEvents.ownIndex(before, before.advanceTo(gap, 10_000))).hasValue(gap);
        }
    }

    @Test
    void aFillerWhoseTokenAlsoDroppedOlderGapsSitsAtTheHighestGapDropped() {
        // an event older than the gap timeout is advanced with no gap offset: every gap below it goes too
        GapAwareTrackingToken before = GapAwareTrackingToken.newInstance(20, List.of(3L, 11L, 12L, 18L));
        GapAwareTrackingToken after = before.advanceTo(12, 0);

        assertThat(after.getGaps()).containsExactly(18L);
        assertThat(PositionedEvents.ownIndex(before, after)).hasValue(12);
    }

    @Test
    void aFillerReadAfterTheStoreCleanedOldGapsSitsAtItsOwnGap() {
        // the engine truncates old gaps between two reads, then advances the cleaned token
        GapAwareTrackingToken before = GapAwareTrackingToken.newInstance(20, List.of(3L, 4L, 11L, 18L));
        GapAwareTrackingToken after = before.withGapsTruncatedAt(5).advanceTo(11, 10_000);

        assertThat(PositionedEvents.ownIndex(before, after)).hasValue(11);
    }

    @Test
    void aFillerFartherBehindThanTheGapOffsetIsLeftToTheLookup() {
        GapAwareTrackingToken before = GapAwareTrackingToken.newInstance(20_000, List.of(9_000L, 15_000L));
        GapAwareTrackingToken after = before.advanceTo(9_000, 10_000_000);

        assertThat(PositionedEvents.ownIndex(before, after)).isEmpty();
        assertThat(PositionedEvents.ownIndex(before, before.advanceTo(15_000, 10_000))).hasValue(15_000);
    }

    @Test
    void tokensThatDoNotFollowOneAnotherGiveNoIndex() {
        GapAwareTrackingToken before = GapAwareTrackingToken.newInstance(10, List.of(7L));

        assertThat(PositionedEvents.ownIndex(before, GapAwareTrackingToken.newInstance(10, List.of(7L))))
                .as("no gap filled").isEmpty();
        assertThat(PositionedEvents.ownIndex(before, GapAwareTrackingToken.newInstance(10, List.of(5L))))
                .as("a gap the token before did not have").isEmpty();
        assertThat(PositionedEvents.ownIndex(before, GapAwareTrackingToken.newInstance(9, List.of())))
                .as("a token behind").isEmpty();
        assertThat(PositionedEvents.ownIndex(new GlobalSequenceTrackingToken(10), new GlobalSequenceTrackingToken(10)))
                .as("not gap-aware").isEmpty();
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

    @Test
    void everyStreamReadsAnEventStampedWithItsIndexAndTheStampIsMadeOnce() throws InterruptedException {
        EmbeddedEventStore store = EmbeddedEventStore.builder().storageEngine(new InMemoryEventStorageEngine()).build();
        for (long sequence = 0; sequence < 3; sequence++) {
            store.publish(new GenericDomainEventMessage<>("Conversation", "c-1", sequence, "record " + sequence));
        }
        PositionedEvents positioned = new PositionedEvents(store);

        try (BlockingStream<TrackedEventMessage<?>> segment0 = positioned.openStream(null);
             BlockingStream<TrackedEventMessage<?>> segment1 = positioned.openStream(null)) {
            for (long index = 0; index < 3; index++) {
                assertThat(segment0.hasNextAvailable(5, TimeUnit.SECONDS)).isTrue();
                assertThat(segment0.peek()).get().extracting(TrackedEventMessage::trackingToken)
                        .isEqualTo(new GlobalSequenceTrackingToken(index));
                TrackedEventMessage<?> first = segment0.nextAvailable();
                assertThat(segment1.hasNextAvailable(5, TimeUnit.SECONDS)).isTrue();
                TrackedEventMessage<?> second = segment1.nextAvailable();

                assertThat(first.getMetaData()).containsEntry(PositionedEvents.GLOBAL_INDEX, index);
                assertThat(first.getPayload()).isEqualTo("record " + index);
                assertThat(second).as("the other stream's stamped copy").isSameAs(first);
            }
        } finally {
            store.shutDown();
        }
    }

    @Test
    void aStampedEventKeepsItsOwnMetadataItsTypeAndItsStampWhenMoreMetadataIsAdded() throws InterruptedException {
        EmbeddedEventStore store = EmbeddedEventStore.builder().storageEngine(new InMemoryEventStorageEngine()).build();
        store.publish(new GenericDomainEventMessage<>("Conversation", "c-1", 0, "record 0", MetaData.with("traceId", "t-1")));
        PositionedEvents positioned = new PositionedEvents(store);

        try (BlockingStream<TrackedEventMessage<?>> stream = positioned.openStream(null)) {
            assertThat(stream.hasNextAvailable(5, TimeUnit.SECONDS)).isTrue();
            TrackedEventMessage<?> stamped = stream.nextAvailable();

            assertThat(stamped).isInstanceOf(DomainEventMessage.class);
            assertThat(((DomainEventMessage<?>) stamped).getAggregateIdentifier()).isEqualTo("c-1");
            assertThat(stamped.getMetaData()).containsEntry("traceId", "t-1").containsEntry(PositionedEvents.GLOBAL_INDEX, 0L);
            TrackedEventMessage<?> more = (TrackedEventMessage<?>) stamped.andMetaData(MetaData.with("extra", "x"));
            assertThat(more.getMetaData()).containsEntry("traceId", "t-1").containsEntry("extra", "x")
                    .containsEntry(PositionedEvents.GLOBAL_INDEX, 0L);
            assertThat(more.trackingToken()).isEqualTo(stamped.trackingToken());
            assertThat(more.getPayload()).isEqualTo("record 0");
        } finally {
            store.shutDown();
        }
    }
}
