package io.convtrail.query.stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The stream senders' pool: a few threads for many short runs, one more whenever all of them are stuck. */
class SenderPoolTest {

    final SenderPool pool = new SenderPool(2, 200, run -> {
        Thread thread = new Thread(run, "sender-test");
        thread.setDaemon(true);
        return thread;
    });
    final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        pool.shutdown();
    }

    @Test
    void aThousandShortRunsAtOnceShareTheCoreThreads() {
        Set<Thread> used = ConcurrentHashMap.newKeySet();
        AtomicInteger done = new AtomicInteger();
        for (int i = 0; i < 1000; i++) {
            pool.execute(() -> {
                used.add(Thread.currentThread());
                done.incrementAndGet();
            });
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> done.get() == 1000);
        // a cached pool would have started up to one thread per queued run
        assertThat(used).as("threads that ran 1,000 short runs").hasSizeLessThanOrEqualTo(4);
    }

    @Test
    void runsQueuedBehindStuckThreadsGetAThreadOfTheirOwn() {
        for (int i = 0; i < 2; i++) {
            pool.execute(this::stuck);
        }
        CountDownLatch ran = new CountDownLatch(1);
        long queued = System.nanoTime();
        pool.execute(ran::countDown);
        await().atMost(Duration.ofSeconds(2)).until(() -> ran.getCount() == 0);
        assertThat(Duration.ofNanos(System.nanoTime() - queued)).as("a run behind two stuck threads")
                .isLessThan(Duration.ofMillis(1_000));
        assertThat(pool.threads()).isGreaterThan(2);
    }

    @Test
    void oneStuckThreadDoesNotDelayTheOthersRuns() {
        pool.execute(this::stuck);
        AtomicInteger done = new AtomicInteger();
        for (int i = 0; i < 200; i++) {
            pool.execute(done::incrementAndGet);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> done.get() == 200);
    }

    private void stuck() {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
