package io.convtrail.bench;

import java.util.ArrayList;
import java.util.List;

/** Reads the event store's head once a second while a load runs: events appended in each second. */
final class AppendRateSampler implements AutoCloseable {

    private final BenchDatabase db;
    private final List<Long> heads = new ArrayList<>();
    private final Thread sampler;

    AppendRateSampler(BenchDatabase db) throws Exception {
        this.db = db;
        heads.add(db.head());
        sampler = new Thread(this::sample, "bench-append-rate");
        sampler.setDaemon(true);
        sampler.start();
    }

    private void sample() {
        long next = System.nanoTime();
        try {
            while (true) {
                next += 1_000_000_000L;
                long wait = (next - System.nanoTime()) / 1_000_000;
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                long head = db.head();
                synchronized (heads) {
                    heads.add(head);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            Progress.say("append-rate sampling stopped: " + e);
        }
    }

    long first() {
        return heads.get(0);
    }

    /** Events appended in each whole second sampled so far. */
    double[] perSecond() {
        synchronized (heads) {
            double[] rates = new double[Math.max(0, heads.size() - 1)];
            for (int i = 1; i < heads.size(); i++) {
                rates[i - 1] = heads.get(i) - heads.get(i - 1);
            }
            return rates;
        }
    }

    @Override
    public void close() throws InterruptedException {
        sampler.interrupt();
        sampler.join();
    }
}
