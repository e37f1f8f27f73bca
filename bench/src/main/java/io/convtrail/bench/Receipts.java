package io.convtrail.bench;

import java.util.UUID;

/**
 * What one subscriber received, in arrival order: the event's key (the conversation's sequence,
 * from the SSE {@code id:} or the STOMP {@code sequence} header, else the envelope's auditId;
 * -1 when absent), the wall
 * time it arrived and the envelope's {@code createdAt} (both epoch microseconds; 0 when absent).
 * Written by one thread at a time (the connection's), read after the connection is closed.
 */
final class Receipts {

    final UUID conversationId;
    final LongList keys = new LongList();
    final LongList receivedAt = new LongList();
    final LongList createdAt = new LongList();
    volatile boolean keyedBySequence;

    Receipts(UUID conversationId, boolean keyedBySequence) {
        this.conversationId = conversationId;
        this.keyedBySequence = keyedBySequence;
    }

    void add(long key, long received, long created) {
        keys.add(key);
        receivedAt.add(received);
        createdAt.add(created);
    }

    int size() {
        return keys.size();
    }

    /** {@code "createdAt":"2026-..Z"} read without parsing the whole JSON: 10,000 streams share two cores. */
    static long createdAtMicros(String json) {
        int at = json.indexOf("\"createdAt\"");
        if (at < 0) {
            return 0;
        }
        int open = json.indexOf('"', json.indexOf(':', at) + 1);
        int close = json.indexOf('"', open + 1);
        if (open < 0 || close < 0) {
            return 0;
        }
        try {
            return WallClock.micros(java.time.Instant.parse(json.substring(open + 1, close)));
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** {@code "auditId":123}, or -1 for {@code null} or absent. */
    static long auditId(String json) {
        int at = json.indexOf("\"auditId\"");
        if (at < 0) {
            return -1;
        }
        int i = json.indexOf(':', at) + 1;
        while (i < json.length() && json.charAt(i) == ' ') {
            i++;
        }
        int start = i;
        while (i < json.length() && Character.isDigit(json.charAt(i))) {
            i++;
        }
        return i == start ? -1 : Long.parseLong(json.substring(start, i));
    }
}
