package io.convtrail.app.metrics;

import io.convtrail.api.event.TurnOutcome;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The last hour of this node, a minute at a time, for the console's overview without an external
 * dashboard: turns by outcome and their latencies (noted by {@link TurnMetrics} as they end), and the
 * highest projection lag and open-stream counts seen in the minute (read from the registry's own gauges
 * every {@link #SAMPLE_EVERY}, and when the overview is asked for). A ring of {@link #MINUTES} minutes;
 * older ones are dropped. Latencies beyond {@link #MAX_LATENCIES} in a minute are not kept (the
 * percentiles then describe the minute's first turns); Prometheus' histogram has them all.
 */
@Component
public class OverviewHistory implements DisposableBean {

    static final int MINUTES = 60;
    static final int MAX_LATENCIES = 10_000;
    static final Duration SAMPLE_EVERY = Duration.ofSeconds(15);

    private final MeterRegistry meters;
    private final Clock clock;
    private final TreeMap<Long, Minute> minutes = new TreeMap<>();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "convtrail-overview-sampler");
        thread.setDaemon(true);
        return thread;
    });

    private static final class Minute {
        final Map<TurnOutcome, Integer> turns = new EnumMap<>(TurnOutcome.class);
        long[] latencies = new long[16];
        int latencyCount;
        final Map<String, Double> lagEvents = new TreeMap<>();
        final Map<String, Double> lagSeconds = new TreeMap<>();
        final Map<String, Double> streams = new TreeMap<>();
    }

    /** One minute of the overview; latency percentiles in milliseconds, null without a timed turn. */
    public record MinuteSample(String minute, Map<String, Integer> turns, Long latencyP50Ms, Long latencyP95Ms,
                               Long latencyP99Ms, Map<String, Double> projectionLagEvents,
                               Map<String, Double> projectionLagSeconds, Map<String, Double> openStreams) {
    }

    public OverviewHistory(MeterRegistry meters, Clock clock) {
        this.meters = meters;
        this.clock = clock;
        long period = SAMPLE_EVERY.toMillis();
        sampler.scheduleAtFixedRate(this::sampleGauges, period, period, TimeUnit.MILLISECONDS);
    }

    synchronized void turnEnded(TurnOutcome outcome, Duration latency) {
        Minute minute = current();
        minute.turns.merge(outcome, 1, Integer::sum);
        if (latency != null && minute.latencyCount < MAX_LATENCIES) {
            if (minute.latencyCount == minute.latencies.length) {
                minute.latencies = Arrays.copyOf(minute.latencies, minute.latencies.length * 2);
            }
            minute.latencies[minute.latencyCount++] = latency.toMillis();
        }
    }

    /** The last hour, oldest minute first; minutes without any sample are absent. */
    public List<MinuteSample> lastHour() {
        sampleGauges();
        synchronized (this) {
            List<MinuteSample> samples = new ArrayList<>();
            for (Map.Entry<Long, Minute> e : minutes.entrySet()) {
                Minute m = e.getValue();
                Map<String, Integer> turns = new LinkedHashMap<>();
                for (TurnOutcome outcome : TurnOutcome.values()) {
                    turns.put(TurnMetrics.tag(outcome), m.turns.getOrDefault(outcome, 0));
                }
                long[] sorted = Arrays.copyOf(m.latencies, m.latencyCount);
                Arrays.sort(sorted);
                samples.add(new MinuteSample(Instant.ofEpochSecond(e.getKey() * 60).toString(), turns,
                        percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99),
                        Map.copyOf(m.lagEvents), Map.copyOf(m.lagSeconds), Map.copyOf(m.streams)));
            }
            return samples;
        }
    }

    private void sampleGauges() {
        Map<String, Double> lagEvents = gauges("convtrail.projection.lag.events", "processor");
        Map<String, Double> lagSeconds = gauges("convtrail.projection.lag.seconds", "processor");
        Map<String, Double> streams = gauges("convtrail.stream.subscribers", "transport");
        synchronized (this) {
            Minute minute = current();
            lagEvents.forEach((k, v) -> minute.lagEvents.merge(k, v, Math::max));
            lagSeconds.forEach((k, v) -> minute.lagSeconds.merge(k, v, Math::max));
            streams.forEach((k, v) -> minute.streams.merge(k, v, Math::max));
        }
    }

    private Map<String, Double> gauges(String name, String tag) {
        Map<String, Double> values = new TreeMap<>();
        try {
            for (Gauge gauge : meters.find(name).gauges()) {
                double value = gauge.value();
                if (!Double.isNaN(value)) {
                    values.put(String.valueOf(gauge.getId().getTag(tag)), value);
                }
            }
        } catch (RuntimeException e) {
            // a gauge that cannot be read now (the database is unreachable) leaves a gap in the chart
        }
        return values;
    }

    private Minute current() {
        long minute = clock.instant().getEpochSecond() / 60;
        while (!minutes.isEmpty() && minutes.firstKey() <= minute - MINUTES) {
            minutes.pollFirstEntry();
        }
        return minutes.computeIfAbsent(minute, m -> new Minute());
    }

    private static Long percentile(long[] sorted, int percent) {
        if (sorted.length == 0) {
            return null;
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    @Override
    public void destroy() {
        sampler.shutdownNow();
    }
}
