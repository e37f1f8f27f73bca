package io.convtrail.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Whether the read side keeps up with a load (issue 15). While the load runs: how many events each projection's
 * token is behind the event store's head, read every {@value #SAMPLE_MILLIS} ms from tokenentry. After it stops:
 * how long until every projection is at the head. Then, for a sample of the events the load appended, event
 * commit → audit_event row commit ({@link CommitTimes}): the time lag, read once the rows exist so that the
 * slowest events are not the ones left out.
 */
final class ReadSideLag implements AutoCloseable {

    private static final int SAMPLE_MILLIS = 250;
    private static final int CATCH_UP_POLL_MILLIS = 20;
    /** Enough events for a stable p99 without reading every row of a long load. */
    private static final long SAMPLED_EVENTS = 10_000;

    private final BenchDatabase db;
    private final long from;
    private final LongList behind = new LongList();
    private final Map<String, LongList> behindByProjection = new TreeMap<>();
    private final Thread sampler;

    /** Starts sampling; the load's events are those appended after this. */
    ReadSideLag(BenchDatabase db) {
        this.db = db;
        this.from = db.head();
        sampler = new Thread(this::sample, "bench-read-side-lag");
        sampler.setDaemon(true);
        sampler.start();
    }

    private void sample() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                long head = db.head();
                Map<String, ProjectionTokens.Position> tokens = ProjectionTokens.read(db);
                synchronized (behind) {
                    long worst = 0;
                    for (var p : tokens.entrySet()) {
                        long lag = Math.max(0, head - p.getValue().lowest());
                        behindByProjection.computeIfAbsent(p.getKey(), k -> new LongList()).add(lag);
                        worst = Math.max(worst, lag);
                    }
                    behind.add(worst);
                }
                Thread.sleep(SAMPLE_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            Progress.say("read-side lag sampling stopped: " + e);
        }
    }

    /**
     * Stops sampling, waits for every projection to reach {@code head} (the load's last event) and reads the
     * sample's commit times. {@code stoppedAt}: System.nanoTime() when the load stopped.
     */
    Result finish(long head, long stoppedAt, int timeoutSeconds, String label) throws Exception {
        close();
        long caughtUpMillis = ProjectionTokens.millisUntilCaughtUp(db, head, stoppedAt, timeoutSeconds,
                CATCH_UP_POLL_MILLIS, label);
        CommitTimes sample = CommitTimes.sampled(db, from, head, (head - from) / SAMPLED_EVENTS);
        synchronized (behind) {
            Map<String, Long> p99ByProjection = new TreeMap<>();
            behindByProjection.forEach((name, lags) -> p99ByProjection.put(name, p99(lags)));
            return new Result(sample.projectionLag(), head - from, p99(behind), max(behind), p99ByProjection,
                    behind.size(), caughtUpMillis, timeoutSeconds);
        }
    }

    @Override
    public void close() throws InterruptedException {
        sampler.interrupt();
        sampler.join();
    }

    private static long p99(LongList values) {
        if (values.size() == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(values.array(), values.size());
        Arrays.sort(sorted);
        return sorted[Math.max(0, (int) Math.ceil(0.99 * sorted.length) - 1)];
    }

    private static long max(LongList values) {
        return Arrays.stream(values.array(), 0, values.size()).max().orElse(0);
    }

    /**
     * {@code commitToReadModel}: event commit → audit row commit of the sampled events (microseconds).
     * {@code behindP99}: events the slowest projection was behind the head, p99 over the samples.
     * {@code caughtUpMillis}: from the load's stop until every projection was at the head; -1: not within the timeout.
     */
    record Result(Percentiles commitToReadModel, long events, long behindP99, long behindMax,
                  Map<String, Long> behindP99ByProjection, int samples, long caughtUpMillis, int timeoutSeconds) {

        Map<String, Object> details() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("commitToReadModelCommit", commitToReadModel);
            m.put("eventsBehindHeadP99", behindP99);
            m.put("eventsBehindHeadMax", behindMax);
            m.put("eventsBehindHeadP99ByProjection", behindP99ByProjection);
            m.put("tokenSamples", samples);
            m.put("allProjectionsAtHeadAfterMs", caughtUpMillis < 0 ? null : caughtUpMillis);
            m.put("catchUpTimeoutSeconds", timeoutSeconds);
            return m;
        }
    }
}
