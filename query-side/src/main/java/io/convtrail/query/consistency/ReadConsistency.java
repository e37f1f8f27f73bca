package io.convtrail.query.consistency;

import io.convtrail.query.projection.ProjectionCommits;
import io.convtrail.query.projection.ProjectionQuarantine;
import io.convtrail.query.projection.ProjectionTokens;
import io.convtrail.query.store.EventPositions;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Read-your-writes for every reader on every node: before a read model answers for a conversation,
 * the read waits until the projection's committed tokens cover the conversation's newest event in
 * the event store. Both are in the database, so it holds whichever node ran the turn and whichever
 * node answers. The wait wakes on every batch this node's projection commits and otherwise looks
 * again every {@code poll-interval}. A read that finds the read model current costs three small
 * indexed queries (the conversation's head, the projection's tokens, its quarantine). A conversation with an event
 * the projection holds in quarantine can never become complete, and says so at once.
 */
@Component
@EnableConfigurationProperties(ReadConsistencyProperties.class)
public class ReadConsistency {

    private final ReadConsistencyProperties properties;
    private final EventPositions positions;
    private final ProjectionTokens tokens;
    private final ProjectionCommits commits;
    private final ProjectionQuarantine quarantine;
    private final MeterRegistry meters;

    public ReadConsistency(ReadConsistencyProperties properties, EventPositions positions, ProjectionTokens tokens,
                           ProjectionCommits commits, ProjectionQuarantine quarantine, MeterRegistry meters) {
        this.properties = properties;
        this.positions = positions;
        this.tokens = tokens;
        this.commits = commits;
        this.quarantine = quarantine;
        this.meters = meters;
    }

    /** Returns once the projection holds every event of the conversation; 503 when it cannot in time. */
    public void awaitProjected(String projection, UUID conversationId) {
        if (properties.consistencyTimeout().isZero()) {
            return;
        }
        Optional<Long> head = positions.head(conversationId);
        if (head.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        long deadline = started + properties.consistencyTimeout().toNanos();
        long seen = commits.seen(projection);
        while (!tokens.covered(projection, head.get())) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw refused("behind", projection, ReadModelNotCurrentException.behind(projection, conversationId,
                        Duration.ofNanos(System.nanoTime() - started), properties.retryAfter()));
            }
            try {
                seen = commits.awaitAfter(projection, seen, Math.min(left, properties.pollInterval().toNanos()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw refused("behind", projection, ReadModelNotCurrentException.behind(projection, conversationId,
                        Duration.ofNanos(System.nanoTime() - started), properties.retryAfter()));
            }
        }
        if (quarantine.holds(projection, conversationId)) {
            throw refused("quarantined", projection,
                    ReadModelNotCurrentException.quarantined(projection, conversationId, properties.retryAfter()));
        }
    }

    private ReadModelNotCurrentException refused(String reason, String projection, ReadModelNotCurrentException e) {
        meters.counter("convtrail.read.not.current", "projection", projection, "reason", reason).increment();
        return e;
    }
}
