package io.convtrail.app.metrics;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.monitoring.MessageMonitor;

import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The metrics of one Axon component (an event processor, a bus, the event store): the series Axon's
 * dimensional monitors ({@code axon-micrometer}) register, under the same names and tags, with each
 * payload type's meters resolved once and kept. Axon's monitors build and look up every timer, counter
 * and gauge again for every message, which cost a fifth of a projection rebuild's CPU.
 * <p>
 * Per payload type: {@code <prefix>.ingestedCounter}, {@code .successCounter}, {@code .failureCounter},
 * {@code .processedCounter}, {@code .ignoredCounter}; the timers {@code .allTimer}, {@code .successTimer},
 * {@code .failureTimer}; the gauge {@code .capacity} (share of the last 10 minutes spent handling).
 * For an event processor also {@code eventProcessor.latency} (age of the last event it took in), tagged
 * by processor only. An ignored message (another segment's event, or one no handler takes) is counted,
 * not timed: its "handling" is the processor's decision to skip it, and each of a processor's segment
 * threads skips every event the others handle.
 * <p>
 * An event processor's events handled in a batch (a unit of work) are tallied by the batch's thread and
 * recorded when the batch ends: the counters count each event, the timers take one sample per batch and
 * payload type (the time the batch spent handling that type's events), the latency gauge the age of the
 * batch's last event. Timing every event (two timers with six percentiles each, per event and projection)
 * was most of the meters' cost in the processors' threads.
 */
final class MessageMeters implements MessageMonitor<Message<?>> {

    static final String PAYLOAD_TYPE_TAG = "payloadType";
    static final String PROCESSOR_NAME_TAG = "processorName";

    /** Which of Axon's monitor sets the component had. */
    enum Shape {
        /** counters, timers and capacity per payload type and processor; latency per processor */
        EVENT_PROCESSOR,
        /** counters, timers and capacity per payload type (command and query buses, the update emitter) */
        HANDLER_BUS,
        /** counters untagged, timers per payload type (the event store, as Axon registers it) */
        EVENT_BUS
    }

    private final String prefix;
    private final Shape shape;
    private final Tags componentTags;
    private final MeterRegistry registry;
    private final Clock clock;
    private final AtomicLong latencyMillis;
    private final Counters untaggedCounters;
    private final Map<Class<?>, PayloadMeters> byPayloadType = new ConcurrentHashMap<>();
    private final ThreadLocal<BatchTally> tallies;

    MessageMeters(String prefix, Shape shape, Tags componentTags, MeterRegistry registry) {
        this.prefix = prefix;
        this.shape = shape;
        this.componentTags = componentTags;
        this.registry = registry;
        this.clock = registry.config().clock();
        this.latencyMillis = shape == Shape.EVENT_PROCESSOR ? latencyGauge() : null;
        this.untaggedCounters = shape == Shape.EVENT_BUS ? new Counters(Tags.empty()) : null;
        this.tallies = shape == Shape.EVENT_PROCESSOR ? ThreadLocal.withInitial(BatchTally::new) : null;
    }

    @Override
    public MonitorCallback onMessageIngested(Message<?> message) {
        PayloadMeters meters = byPayloadType.get(message.getPayloadType());
        if (meters == null) {
            meters = byPayloadType.computeIfAbsent(message.getPayloadType(), this::metersFor);
        }
        if (tallies != null && message instanceof EventMessage<?> event && CurrentUnitOfWork.isStarted()) {
            return new Tallied(tallies.get().take(event, meters), clock.monotonicTime());
        }
        if (latencyMillis != null && message instanceof EventMessage<?> event) {
            latencyMillis.set(clock.wallTime() - event.getTimestamp().toEpochMilli());
        }
        meters.counters.ingested.increment();
        return new Callback(meters, clock.monotonicTime());
    }

    private PayloadMeters metersFor(Class<?> payloadType) {
        Tags tags = componentTags.and(PAYLOAD_TYPE_TAG, payloadType.getSimpleName());
        return new PayloadMeters(untaggedCounters != null ? untaggedCounters : new Counters(tags),
                timer("allTimer", tags), timer("successTimer", tags), timer("failureTimer", tags),
                shape == Shape.EVENT_BUS ? null : capacity(tags));
    }

    private Timer timer(String name, Tags tags) {
        return Timer.builder(prefix + "." + name)
                .distributionStatisticExpiry(Duration.ofMinutes(10))
                .publishPercentiles(0.5, 0.75, 0.95, 0.98, 0.99, 0.999)
                .tags(tags)
                .register(registry);
    }

    private BusyTimeWindow capacity(Tags tags) {
        BusyTimeWindow window = new BusyTimeWindow(Duration.ofMinutes(10));
        Gauge.builder(prefix + ".capacity", window, busy -> busy.share(clock.monotonicTime()))
                .tags(tags)
                .strongReference(true)
                .register(registry);
        return window;
    }

    private AtomicLong latencyGauge() {
        AtomicLong millis = new AtomicLong();
        Gauge.builder(prefix + ".latency", millis, AtomicLong::get)
                .tags(componentTags)
                .strongReference(true)
                .register(registry);
        return millis;
    }

    private final class Counters {
        private final Counter ingested;
        private final Counter success;
        private final Counter failure;
        private final Counter processed;
        private final Counter ignored;

        Counters(Tags tags) {
            ingested = registry.counter(prefix + ".ingestedCounter", tags);
            success = registry.counter(prefix + ".successCounter", tags);
            failure = registry.counter(prefix + ".failureCounter", tags);
            processed = registry.counter(prefix + ".processedCounter", tags);
            ignored = registry.counter(prefix + ".ignoredCounter", tags);
        }
    }

    private record PayloadMeters(Counters counters, Timer all, Timer success, Timer failure, BusyTimeWindow busy) {
    }

    private final class Callback implements MonitorCallback {
        private final PayloadMeters meters;
        private final long start;

        Callback(PayloadMeters meters, long start) {
            this.meters = meters;
            this.start = start;
        }

        @Override
        public void reportSuccess() {
            long nanos = handled();
            meters.success.record(nanos, TimeUnit.NANOSECONDS);
            meters.counters.success.increment();
        }

        @Override
        public void reportFailure(Throwable cause) {
            long nanos = handled();
            meters.failure.record(nanos, TimeUnit.NANOSECONDS);
            meters.counters.failure.increment();
        }

        @Override
        public void reportIgnored() {
            meters.counters.ignored.increment();
        }

        private long handled() {
            long now = clock.monotonicTime();
            long nanos = now - start;
            meters.all.record(nanos, TimeUnit.NANOSECONDS);
            meters.counters.processed.increment();
            if (meters.busy != null) {
                meters.busy.add(now, nanos);
            }
            return nanos;
        }
    }

    /** One payload type's events in the running batch. */
    private static final class Sums {
        private long ingested;
        private long success;
        private long failure;
        private long ignored;
        private long successNanos;
        private long failureNanos;
    }

    /**
     * The events a processor thread took in during its running batch, recorded once at the batch's
     * cleanup (after its commit or rollback), which the first event of the batch registers.
     */
    private final class BatchTally {
        private final Map<PayloadMeters, Sums> sums = new IdentityHashMap<>();
        private UnitOfWork<?> batch;
        private EventMessage<?> lastEvent;

        Sums take(EventMessage<?> event, PayloadMeters meters) {
            UnitOfWork<?> running = CurrentUnitOfWork.get().root();
            if (running != batch) {
                batch = running;
                running.onCleanup(ended -> record());
            }
            lastEvent = event;
            Sums taken = sums.computeIfAbsent(meters, type -> new Sums());
            taken.ingested++;
            return taken;
        }

        private void record() {
            batch = null;
            latencyMillis.set(clock.wallTime() - lastEvent.getTimestamp().toEpochMilli());
            lastEvent = null;
            long now = clock.monotonicTime();
            sums.forEach((meters, taken) -> {
                if (taken.ingested > 0) {
                    record(meters, taken, now);
                }
            });
        }

        private void record(PayloadMeters meters, Sums taken, long now) {
            meters.counters.ingested.increment(taken.ingested);
            if (taken.ignored > 0) {
                meters.counters.ignored.increment(taken.ignored);
            }
            long handled = taken.success + taken.failure;
            if (handled > 0) {
                long nanos = taken.successNanos + taken.failureNanos;
                meters.all.record(nanos, TimeUnit.NANOSECONDS);
                meters.counters.processed.increment(handled);
                meters.busy.add(now, nanos);
            }
            if (taken.success > 0) {
                meters.success.record(taken.successNanos, TimeUnit.NANOSECONDS);
                meters.counters.success.increment(taken.success);
            }
            if (taken.failure > 0) {
                meters.failure.record(taken.failureNanos, TimeUnit.NANOSECONDS);
                meters.counters.failure.increment(taken.failure);
            }
            taken.ingested = taken.success = taken.failure = taken.ignored = 0;
            taken.successNanos = taken.failureNanos = 0;
        }
    }

    private final class Tallied implements MonitorCallback {
        private final Sums sums;
        private final long start;

        Tallied(Sums sums, long start) {
            this.sums = sums;
            this.start = start;
        }

        @Override
        public void reportSuccess() {
            sums.success++;
            sums.successNanos += clock.monotonicTime() - start;
        }

        @Override
        public void reportFailure(Throwable cause) {
            sums.failure++;
            sums.failureNanos += clock.monotonicTime() - start;
        }

        @Override
        public void reportIgnored() {
            sums.ignored++;
        }
    }
}
