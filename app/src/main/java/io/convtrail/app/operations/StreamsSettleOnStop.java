package io.convtrail.app.operations;

import io.convtrail.query.audit.AuditProjection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * When the service stops, lets the audit projection catch up with what the drained turns recorded
 * (bounded) before the streams end, so live subscribers receive a turn's last events, including a
 * {@code TURN_ABANDONED}, instead of finding them only when they resume. Runs after the turn drain.
 */
@Component
class StreamsSettleOnStop {

    private static final Logger log = LoggerFactory.getLogger(StreamsSettleOnStop.class);
    private static final Duration AT_MOST = Duration.ofSeconds(3);

    private final ProjectionsEndpoint projections;

    StreamsSettleOnStop(ProjectionsEndpoint projections) {
        this.projections = projections;
    }

    @EventListener(ContextClosedEvent.class)
    @Order(Ordered.LOWEST_PRECEDENCE)
    void settle() {
        long deadline = System.nanoTime() + AT_MOST.toNanos();
        try {
            while (lag() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // e.g. the database is down: streams end anyway and clients resume from their last id
            log.debug("Not waiting for the audit projection while stopping: {}", e.toString());
        }
    }

    private long lag() {
        ProjectionsEndpoint.ProjectionStatus audit = projections.status().projections()
                .get(AuditProjection.PROCESSING_GROUP); // the projection that feeds the streams
        return audit == null || audit.lag() == null || !audit.running() ? 0 : audit.lag();
    }
}
