package io.convtrail.app.operations;

import io.convtrail.query.ProjectionConfiguration;
import io.convtrail.query.projection.ProjectionQuarantine;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.NamedContributor;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code projections} in {@code /actuator/health}, one component per projection: DEGRADED while it
 * holds events in quarantine or a segment of it is failing and retrying. The service still answers
 * every request then, so DEGRADED is served with HTTP 200 and leaves the readiness and liveness
 * probes alone; it is for the operator, who finds the events and retries them at
 * {@code /actuator/projections}.
 */
@Component("projections")
public class ProjectionsHealth implements CompositeHealthContributor {

    public static final Status DEGRADED = new Status("DEGRADED", "a projection holds events in quarantine or is failing");

    private final Map<String, HealthIndicator> projections = new LinkedHashMap<>();

    public ProjectionsHealth(EventProcessingConfiguration processing, ProjectionQuarantine quarantine) {
        for (String name : ProjectionConfiguration.PROJECTIONS) {
            projections.put(name, () -> health(name, processing, quarantine));
        }
    }

    private static Health health(String name, EventProcessingConfiguration processing,
                                 ProjectionQuarantine quarantine) {
        long held = quarantine.counts().getOrDefault(name, 0L);
        long failing = processing.eventProcessor(name, StreamingEventProcessor.class)
                .map(p -> p.processingStatus().values().stream().filter(EventTrackerStatus::isErrorState).count())
                .orElse(0L);
        return Health.status(held > 0 || failing > 0 ? DEGRADED : Status.UP)
                .withDetail("quarantined", held)
                .withDetail("failingSegments", failing)
                .build();
    }

    @Override
    public HealthContributor getContributor(String name) {
        return projections.get(name);
    }

    @Override
    public Iterator<NamedContributor<HealthContributor>> iterator() {
        return projections.entrySet().stream()
                .map(e -> NamedContributor.<HealthContributor>of(e.getKey(), e.getValue()))
                .iterator();
    }
}
