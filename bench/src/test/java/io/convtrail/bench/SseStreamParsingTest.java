package io.convtrail.bench;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SseStreamParsingTest {

    private final SseSubscribers.Stream stream = new SseSubscribers.Stream(UUID.randomUUID());

    private void lines(String... lines) {
        for (String line : lines) {
            stream.onNext(line);
        }
    }

    @Test
    void connectedEventConnectsWithoutCountingAsAReceipt() {
        lines("event:CONNECTED", "id:0", "data:{\"conversationId\":\"x\"}", "");
        assertTrue(stream.connected.isDone());
        assertEquals(0, stream.receipts.size());
    }

    @Test
    void namedEventIsRecordedByItsIdWithTheEnvelopesCreatedAt() {
        lines("event:CONNECTED", "", "event: USER_INPUT", "id: 7",
                "data: {\"eventType\":\"AUDIT\",\"auditId\":12,\"createdAt\":\"2026-11-24T05:00:00.123456Z\"}", "");
        assertEquals(1, stream.receipts.size());
        assertEquals(7, stream.receipts.keys.get(0));
        assertEquals(WallClock.micros(Instant.parse("2026-11-24T05:00:00.123456Z")), stream.receipts.createdAt.get(0));
    }

    @Test
    void heartbeatCommentsAndEventsWithoutIdAreNotReceipts() {
        lines(":heartbeat", "", "event:VERBOSE", "data:{}", "");
        assertEquals(0, stream.receipts.size());
        assertFalse(stream.connected.isDone());
    }

    @Test
    void multiLineDataIsJoined() {
        lines("id:3", "data:{\"createdAt\":", "data:\"2026-11-24T05:00:00Z\"}", "");
        assertEquals(WallClock.micros(Instant.parse("2026-11-24T05:00:00Z")), stream.receipts.createdAt.get(0));
    }
}
