package io.convtrail.query.stream;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The stream senders' threads: a few that take queued sender runs one after another, and more only
 * while the queue makes no progress. A sender may block on a stuck client's socket, so a fixed pool
 * could be stopped by as many stuck clients as it has threads; a cached pool (one thread per waiting
 * run) cannot, but then one event to a conversation with 1,000 subscribers wakes up to 1,000 threads,
 * each for a few microseconds of work, and they queue for the cores anyway. Here the queue is served
 * by {@code core} threads, and a run offered (or a watch tick) while no run has started or ended for
 * {@code stall} adds a thread instead of queueing: a stuck client holds one thread, the others carry
 * on, and only when every thread is stuck does the pool grow, within {@code stall}. Threads beyond
 * {@code core} end after a minute idle.
 */
final class SenderPool implements Executor {

    private static final Runnable NOTHING = () -> { };

    private final ProgressQueue queue;
    private final ThreadPoolExecutor pool;
    private final Thread watch;
    private volatile boolean stopped;

    SenderPool(int core, long stallMillis, ThreadFactory threads) {
        this.queue = new ProgressQueue(TimeUnit.MILLISECONDS.toNanos(stallMillis));
        this.pool = new ThreadPoolExecutor(core, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, queue, threads) {
            @Override
            protected void beforeExecute(Thread thread, Runnable run) {
                queue.progressed();
            }

            @Override
            protected void afterExecute(Runnable run, Throwable failure) {
                queue.progressed();
            }
        };
        // every thread stuck and nothing new offered: the queued runs still get a thread within about stall
        this.watch = threads.newThread(() -> {
            while (!stopped) {
                try {
                    Thread.sleep(Math.max(1, stallMillis / 2));
                } catch (InterruptedException e) {
                    return;
                }
                if (queue.stalled()) {
                    pool.execute(NOTHING);
                }
            }
        });
        watch.start();
    }

    @Override
    public void execute(Runnable run) {
        pool.execute(run);
    }

    /** Threads of the pool now, for tests. */
    int threads() {
        return pool.getPoolSize();
    }

    void shutdown() {
        stopped = true;
        watch.interrupt();
        pool.shutdown();
    }

    /** Refuses a run (so the pool adds a thread for it) while queued runs wait and none has started or ended for {@code stall}. */
    private static final class ProgressQueue extends LinkedBlockingQueue<Runnable> {

        private final long stallNanos;
        private volatile long lastProgress = System.nanoTime();

        ProgressQueue(long stallNanos) {
            this.stallNanos = stallNanos;
        }

        void progressed() {
            lastProgress = System.nanoTime();
        }

        boolean stalled() {
            return !isEmpty() && System.nanoTime() - lastProgress > stallNanos;
        }

        @Override
        public boolean offer(Runnable run) {
            if (isEmpty()) {
                // a new backlog starts now; idle threads take it at once
                progressed();
            } else if (stalled()) {
                return false;
            }
            return super.offer(run);
        }
    }
}
