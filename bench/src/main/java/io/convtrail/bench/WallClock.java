package io.convtrail.bench;

import java.time.Instant;

/**
 * Wall-clock microseconds. The bench, the service and PostgreSQL run on one host and read the
 * same system clock, so a time taken here can be subtracted from a commit timestamp PostgreSQL
 * recorded, or from a createdAt the service wrote.
 */
final class WallClock {

    private WallClock() {
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }
}
