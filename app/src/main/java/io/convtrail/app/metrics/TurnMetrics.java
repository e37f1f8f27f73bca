package io.convtrail.app.metrics;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.convtrail.api.event.TurnAbandonedEvent;
import io.convtrail.api.event.TurnCompletedEvent;
import io.convtrail.api.event.TurnOutcome;
import io.convtrail.api.event.TurnStartedEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts what this node appends to the event store, once its transaction commits (a rolled-back append
 * counts nothing): {@code convtrail.events.appended} by event type, {@code convtrail.turns} by outcome and
 * {@code convtrail.turn.latency} (start to completion, recorded with a histogram so Prometheus can compute
 * any percentile across nodes). Read from the events, not from the turn service, so a turn closed as
 * abandoned by another request or by shutdown counts too. Each turn is also noted in the {@link OverviewHistory}.
 */
@Component
class TurnMetrics {

    private final MeterRegistry meters;
    private final OverviewHistory history;
    /** When this node started each running turn; a turn runs where it started, so its completion is seen here. */
    private final Cache<UUID, Instant> started = Caffeine.newBuilder()
            .maximumSize(100_000).expireAfterWrite(Duration.ofHours(1)).build();
    /* Looked up once, not built per event: a builder and a registry lookup by name and tags per append add up. */
    private final Map<Class<?>, Counter> appendedByType = new ConcurrentHashMap<>();
    private final Map<TurnOutcome, Counter> turnsByOutcome = new EnumMap<>(TurnOutcome.class);
    private final Map<TurnOutcome, Timer> latencyByOutcome = new EnumMap<>(TurnOutcome.class);

    TurnMetrics(MeterRegistry meters, OverviewHistory history, EventStore events) {
        this.meters = meters;
        this.history = history;
        for (TurnOutcome outcome : TurnOutcome.values()) {
            // present (at 0) from the start, so a rate query has a series before the first turn
            turnsByOutcome.put(outcome, Counter.builder("convtrail.turns")
                    .description("turns ended on this node, by outcome")
                    .tag("outcome", tag(outcome))
                    .register(meters));
            latencyByOutcome.put(outcome, Timer.builder("convtrail.turn.latency")
                    .description("time from a turn's start to its completion")
                    .tag("outcome", tag(outcome))
                    .publishPercentileHistogram()
                    // bounds the histogram's buckets to what a turn can take (about 30 instead of 70)
                    .minimumExpectedValue(Duration.ofMillis(5))
                    .maximumExpectedValue(Duration.ofMinutes(2))
                    .register(meters));
        }
        events.registerDispatchInterceptor(messages -> (index, message) -> {
            if (CurrentUnitOfWork.isStarted()) {
                CurrentUnitOfWork.get().afterCommit(unitOfWork -> appended(message));
            } else {
                appended(message);
            }
            return message;
        });
    }

    private void appended(EventMessage<?> message) {
        appendedByType.computeIfAbsent(message.getPayloadType(), type -> Counter.builder("convtrail.events.appended")
                .description("events this node appended to the event store, by type")
                .tag("type", type.getSimpleName())
                .register(meters)).increment();
        Object payload = message.getPayload();
        if (payload instanceof TurnStartedEvent e) {
            started.put(e.turnId(), e.startedAt());
        } else if (payload instanceof TurnCompletedEvent e && e.outcome() != null) {
            Instant at = started.getIfPresent(e.turnId());
            started.invalidate(e.turnId());
            turnEnded(e.outcome(), at == null ? null : Duration.between(at, e.completedAt()));
        } else if (payload instanceof TurnAbandonedEvent e) {
            started.invalidate(e.turnId());
            turnEnded(TurnOutcome.ABANDONED, null);
        }
    }

    private void turnEnded(TurnOutcome outcome, Duration latency) {
        turnsByOutcome.get(outcome).increment();
        if (latency != null && !latency.isNegative()) {
            latencyByOutcome.get(outcome).record(latency);
        }
        history.turnEnded(outcome, latency);
    }

    static String tag(TurnOutcome outcome) {
        return outcome.name().toLowerCase(Locale.ROOT);
    }
}
