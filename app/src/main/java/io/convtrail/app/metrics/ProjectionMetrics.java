package io.convtrail.app.metrics;

import io.convtrail.query.ProjectionConfiguration;
import io.convtrail.query.store.EventPositions;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Per projection: how far behind the event store it is, in events ({@code convtrail.projection.lag.events})
 * and in time ({@code convtrail.projection.lag.seconds}: the age of the oldest event it has not applied),
 * and during a rebuild how much of it is done ({@code convtrail.projection.rebuild.progress}, 0 to 1; 1 when
 * not rebuilding). Read when scraped, from the processors' own status and the store's head.
 */
@Component
class ProjectionMetrics implements MeterBinder {

    private final EventProcessingConfiguration processing;
    private final EventStore events;
    private final EventPositions positions;
    private final Clock clock;

    ProjectionMetrics(EventProcessingConfiguration processing, EventStore events, EventPositions positions,
                      Clock clock) {
        this.processing = processing;
        this.events = events;
        this.positions = positions;
        this.clock = clock;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String name : ProjectionConfiguration.PROJECTIONS) {
            Gauge.builder("convtrail.projection.lag.events", () -> lagEvents(name))
                    .description("events in the store the projection has not applied yet")
                    .tag("processor", name)
                    .register(registry);
            Gauge.builder("convtrail.projection.lag.seconds", () -> lagSeconds(name))
                    .description("age of the oldest event the projection has not applied yet")
                    .tag("processor", name)
                    .baseUnit("seconds")
                    .register(registry);
            Gauge.builder("convtrail.projection.rebuild.progress", () -> rebuildProgress(name))
                    .description("share of a running rebuild done (1 when not rebuilding)")
                    .tag("processor", name)
                    .register(registry);
        }
    }

    /** The slowest segment's position; empty while the processor has no segment (-1: nothing applied yet). */
    private Optional<Long> position(String name) {
        Collection<EventTrackerStatus> segments = statuses(name);
        return segments.isEmpty() ? Optional.empty() : Optional.of(segments.stream()
                .mapToLong(s -> s.getCurrentPosition().orElse(-1L)).min().orElse(-1L));
    }

    private double lagEvents(String name) {
        return position(name).map(at -> (double) Math.max(0, head() - at)).orElse(Double.NaN);
    }

    private double lagSeconds(String name) {
        return position(name).map(at -> positions.storedAfter(at)
                .map(oldest -> Math.max(0, Duration.between(oldest, clock.instant()).toMillis() / 1000.0))
                .orElse(0.0)).orElse(Double.NaN);
    }

    private double rebuildProgress(String name) {
        double progress = 1.0;
        for (EventTrackerStatus s : statuses(name)) {
            if (s.isReplaying() && s.getResetPosition().isPresent() && s.getResetPosition().getAsLong() > 0) {
                double done = (double) s.getCurrentPosition().orElse(0L) / s.getResetPosition().getAsLong();
                progress = Math.min(progress, Math.max(0, Math.min(1, done)));
            }
        }
        return progress;
    }

    private long head() {
        TrackingToken head = events.createHeadToken();
        return head == null ? -1L : head.position().orElse(-1L);
    }

    private Collection<EventTrackerStatus> statuses(String name) {
        return processing.eventProcessor(name, StreamingEventProcessor.class)
                .map(p -> p.processingStatus().values())
                .orElse(List.of());
    }
}
