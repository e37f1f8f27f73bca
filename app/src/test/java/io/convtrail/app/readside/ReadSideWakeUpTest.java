package io.convtrail.app.readside;

import org.axonframework.springboot.TokenStoreProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reading wakes only as many waiting turns as it has room for: none while the read side is over the bound,
 * every one when no projection is to be waited for (branch c64: waking all 64 held-back turns on every reading
 * cost CPU for readings that let none of them in).
 */
class ReadSideWakeUpTest {

    private static final int WAITERS = 5;
    private static final long EVENTS_PER_TURN = 40;
    private static final long MAX_LAG = 500;

    private final ExecutorService turns = Executors.newFixedThreadPool(WAITERS);

    @AfterEach
    void stop() {
        turns.shutdownNow();
    }

    @Test
    void aReadingWakesAsManyWaitingTurnsAsItHasRoomFor() throws Exception {
        // no watcher thread (destroyed before the first demand): the test publishes the readings itself; a poll
        // interval of 10 s keeps the waiters from waking on their own (10 × poll-interval) within the test
        ReadSideWatcher watcher = new ReadSideWatcher(null, null, Clock.systemUTC(), new TokenStoreProperties(),
                new ReadSideProperties(true, MAX_LAG, Duration.ofSeconds(1), Duration.ofMillis(25),
                        Duration.ofMinutes(1), Duration.ofSeconds(10), Duration.ofSeconds(1), ReadSideReader.DIRECT));
        watcher.destroy();
        ReadSideReading first = reading(MAX_LAG + 1, 0);
        watcher.publish(first);
        AtomicInteger woken = new AtomicInteger();
        for (int i = 0; i < WAITERS; i++) {
            turns.submit(() -> {
                watcher.awaitAfter(first, System.nanoTime() + TimeUnit.MINUTES.toNanos(1));
                woken.incrementAndGet();
                return null;
            });
        }
        await(() -> watcher.waiting() == WAITERS);

        watcher.publish(reading(MAX_LAG + 1, 0));
        watcher.publish(reading(0, TimeUnit.MILLISECONDS.toNanos(30)));
        Thread.sleep(300);
        assertThat(woken).as("over the event bound, then over the delay bound: no room, nobody woken").hasValue(0);

        // 420 behind: 500 - 420 = 80 leaves room for 2 more turns of 40 after the first (420, 460, 500): 3
        ReadSideReading some = reading(MAX_LAG - 2 * EVENTS_PER_TURN, 0);
        assertThat(some.room(ReadSideBound.of(properties()))).isEqualTo(3);
        watcher.publish(some);
        assertThat(some.sequence()).as("numbered as published: a turn woken for it skipped two readings, which held it "
                + "back (ReadSideGate)").isEqualTo(first.sequence() + 3);
        await(() -> woken.get() == 3);
        Thread.sleep(300);
        assertThat(woken).as("three woken for three turns of room, two still waiting").hasValue(3);
        assertThat(watcher.waiting()).isEqualTo(2);

        watcher.publish(ReadSideReading.unknown(10_000, EVENTS_PER_TURN));
        await(() -> woken.get() == WAITERS);
        assertThat(watcher.waiting()).isZero();
    }

    private static ReadSideProperties properties() {
        return new ReadSideProperties(true, MAX_LAG, Duration.ofSeconds(1), Duration.ofMillis(25), Duration.ofMinutes(1),
                Duration.ofSeconds(10), Duration.ofSeconds(1), ReadSideReader.DIRECT);
    }

    private static ReadSideReading reading(long behind, long delayNanos) {
        return new ReadSideReading(behind, behind, delayNanos, true, 10_000, EVENTS_PER_TURN, System.nanoTime());
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within 10 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
