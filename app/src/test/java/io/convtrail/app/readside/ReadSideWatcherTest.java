package io.convtrail.app.readside;

import io.convtrail.query.projection.ProjectionTokens.SegmentPosition;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which segments the bound counts: those of nodes that still renew their claims, however long one batch takes. */
class ReadSideWatcherTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private static final Instant LIVE_SINCE = NOW.minusSeconds(ReadSideWatcher.SILENT_OWNER_SECONDS);

    @Test
    void aSegmentInOneLongBatchCountsWhileItsNodeRenewsItsOtherClaims() {
        Map<String, Long> slowest = ReadSideWatcher.slowestLive(List.of(
                segment("audit", 0, 900, "query-1", NOW.minusSeconds(1)),
                segment("audit", 1, 100, "query-1", NOW.minusSeconds(30)),
                segment("trace", 0, 950, "query-1", NOW)), LIVE_SINCE);

        assertThat(slowest).containsEntry("audit", 100L).containsEntry("trace", 950L);
    }

    @Test
    void theSegmentsOfANodeThatWentSilentDoNotCount() {
        Map<String, Long> slowest = ReadSideWatcher.slowestLive(List.of(
                segment("audit", 0, 900, "query-1", NOW.minusSeconds(1)),
                segment("audit", 1, 100, "query-2", NOW.minusSeconds(5)),
                segment("trace", 0, 200, "query-2", NOW.minusSeconds(6)),
                segment("trace", 1, 950, "query-1", NOW)), LIVE_SINCE);

        assertThat(slowest).containsEntry("audit", 900L).containsEntry("trace", 950L);
    }

    @Test
    void unclaimedAndRebuildingSegmentsDoNotCount() {
        Map<String, Long> slowest = ReadSideWatcher.slowestLive(List.of(
                segment("audit", 0, 900, "query-1", NOW),
                segment("audit", 1, 100, null, NOW),
                new SegmentPosition("trace", 0, 5, true, "query-1", NOW)), LIVE_SINCE);

        assertThat(slowest).containsOnlyKeys("audit").containsEntry("audit", 900L);
    }

    @Test
    void eventsAppendedWithinTheInFlightWindowAreNotBehind() {
        assertThat(ReadSideWatcher.behind(2_500, 10_000, 7_600, 4_000)).as("2,400 appended within the window")
                .isEqualTo(100);
        assertThat(ReadSideWatcher.behind(2_500, 10_000, 5_000, 4_000)).as("all of the lag is in flight").isZero();
    }

    @Test
    void withoutAReadingInTheWindowEveryEventIsBehind() {
        assertThat(ReadSideWatcher.behind(2_500, 10_000, -1, 4_000)).isEqualTo(2_500);
    }

    @Test
    void atMostTwiceTheBoundIsTakenForInFlight() {
        assertThat(ReadSideWatcher.behind(9_000, 10_000, 1_000, 4_000)).isEqualTo(5_000);
    }

    private static SegmentPosition segment(String processor, int segment, long position, String owner,
                                           Instant claimedAt) {
        return new SegmentPosition(processor, segment, position, false, owner, claimedAt);
    }
}
