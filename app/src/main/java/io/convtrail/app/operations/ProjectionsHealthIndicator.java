package io.convtrail.app.operations;

import io.convtrail.query.ProjectionConfiguration;
import io.convtrail.query.projection.ProjectionQuarantine;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code projections} in {@code /actuator/health}: DEGRADED while a projection holds events in
 * quarantine or a segment of it is failing and retrying. The service still answers every request
 * then, so DEGRADED is served with HTTP 200 and leaves the readiness and liveness probes alone; the
 * status is for the operator, who finds the events and retries them at {@code /actuator/projections}.
 */
@Component("projections")
public class ProjectionsHealthIndicator extends AbstractHealthIndicator {

    public static final Status DEGRADED = new Status("DEGRADED");

    private final EventProcessingConfiguration processing;
    private final ProjectionQuarantine quarantine;

    public ProjectionsHealthIndicator(EventProcessingConfiguration processing, ProjectionQuarantine quarantine) {
        this.processing = processing;
        this.quarantine = quarantine;
    }

    @Override
    protected void doHealthCheck(Health.Builder health) {
        Map<String, Long> quarantined = quarantine.counts();
        boolean degraded = false;
        for (String name : ProjectionConfiguration.PROJECTIONS) {
            Map<String, Object> detail = new LinkedHashMap<>();
            long held = quarantined.getOrDefault(name, 0L);
            detail.put("quarantined", held);
            long failing = processing.eventProcessor(name, StreamingEventProcessor.class)
                    .map(p -> p.processingStatus().values().stream().filter(EventTrackerStatus::isErrorState).count())
                    .orElse(0L);
            detail.put("failingSegments", failing);
            boolean processorDegraded = held > 0 || failing > 0;
            detail.put("status", processorDegraded ? DEGRADED.getCode() : Status.UP.getCode());
            health.withDetail(name, detail);
            degraded |= processorDegraded;
        }
        health.status(degraded ? DEGRADED : Status.UP);
    }
}
