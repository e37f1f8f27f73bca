package io.convtrail.query.consistency;

import io.convtrail.query.projection.ProjectionCommits;
import io.convtrail.query.projection.ProjectionQuarantine;
import io.convtrail.query.projection.ProjectionTokens;
import io.convtrail.query.projection.ProjectionTokens.OwnerToken;
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
 * node answers. The wait wakes on every batch this node's projection commits and then asks the
 * node's own worker, in memory (so many waiting readers do not query the database at every commit);
 * it looks at the stored tokens again every {@code poll-interval}, which is how commits of other
 * nodes are seen. A read that finds the read model current costs three small
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
        Optional<Long> head = positions.head(conversationId, tokens.ignoredEventTypes(projection));
        if (head.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        long deadline = started + properties.consistencyTimeout().toNanos();
        long seen = commits.seen(projection);
        Optional<OwnerToken> owner = tokens.stored(projection, conversationId);
        long nextLook = started + properties.pollInterval().toNanos();
        while (owner.isEmpty() || !owner.get().covers(head.get())) {
            long now = System.nanoTime();
            if (now >= deadline) {
                throw behind(projection, conversationId, started);
            }
            if (now >= nextLook) {
                owner = tokens.stored(projection, conversationId);
                nextLook = now + properties.pollInterval().toNanos();
                continue;
            }
            try {
                seen = commits.awaitAfter(projection, seen, Math.min(deadline, nextLook) - now);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw behind(projection, conversationId, started);
            }
            // woken by a commit on this node: the token it committed says enough, without a query
            if (owner.isPresent() && commits.passed(projection, owner.get().segment(), head.get())) {
                break;
            }
        }
        meters.timer("convtrail.read.consistency.wait", "projection", projection)
                .record(Duration.ofNanos(System.nanoTime() - started));
        if (quarantine.holds(projection, conversationId)) {
            throw refused("quarantined", projection,
                    ReadModelNotCurrentException.quarantined(projection, conversationId, properties.retryAfter()));
        }
    }

    private ReadModelNotCurrentException behind(String projection, UUID conversationId, long started) {
        return refused("behind", projection, ReadModelNotCurrentException.behind(projection, conversationId,
                Duration.ofNanos(System.nanoTime() - started), properties.retryAfter()));
    }

    private ReadModelNotCurrentException refused(String reason, String projection, ReadModelNotCurrentException e) {
        meters.counter("convtrail.read.not.current", "projection", projection, "reason", reason).increment();
        return e;
    }
}
