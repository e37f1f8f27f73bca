package io.convtrail.app.operations;

import io.convtrail.app.node.NodeRole;
import io.convtrail.app.node.NodeRoles;
import io.convtrail.app.node.SegmentBalancer;
import io.convtrail.app.runner.TurnRunnerRegistry;
import io.convtrail.query.ProjectionConfiguration;
import io.convtrail.query.projection.ProjectionTokens;
import io.convtrail.query.projection.ProjectionCommits;
import io.convtrail.query.projection.ProjectionQuarantine;
import io.convtrail.query.projection.QuarantineRetry;
import io.convtrail.query.projection.QuarantinedEvent;
import io.convtrail.query.projection.ReplayedPages;
import io.convtrail.query.store.EventPages;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code /actuator/projections}: where each read model stands against the event store and which
 * events it holds in quarantine (GET); a rebuild from the first event, or a retry of the quarantined
 * events (POST). A rebuild stops the processor on this node, resets its tokens (claiming every
 * segment; its reset handler empties its tables in the same transaction) and forgets its quarantine
 * (the replay applies or holds every event again); then one reader replays the store into all the
 * rebuilt projections at once ({@link BulkReplay}) and starts the processors again at the head, from
 * the tokens it stored. Meanwhile the read model fills up again as the GET shows, with its progress
 * (done/total, rate, estimated end), which is also logged every {@link #PROGRESS_LOG_INTERVAL} until it
 * finishes. While another node holds a segment, or a rebuild is running, the POST answers 409.
 */
@Component
@Endpoint(id = "projections")
public class ProjectionsEndpoint {

    static final List<String> PROJECTIONS = ProjectionConfiguration.PROJECTIONS;
    static final String REBUILD = "rebuild";
    static final String RETRY_QUARANTINED = "retry-quarantined";
    /** The quarantined events the GET lists per projection; the count is always complete. */
    static final int LISTED_QUARANTINE = 100;
    static final Duration PROGRESS_LOG_INTERVAL = Duration.ofSeconds(5);
    /**
     * Events per page of a rebuild's replay: one query, one transaction per projection. Larger pages
     * gain little past a few thousand events, hold more memory (about 1 KB an event) and must stay
     * well inside the processors' unit-of-work timeout (axon.timeout.transaction.event-processors,
     * 60 s), whose interceptor the page runs through like any batch.
     */
    static final int PAGE_SIZE = 2_000;
    static final String PROCESSOR_ON_ONE_NODE = "stop the projections on the other query nodes (restart them "
            + "without the query role in convtrail.node.roles) or wait until their claims expire, then ask again";

    private static final Logger log = LoggerFactory.getLogger(ProjectionsEndpoint.class);

    private final EventProcessingConfiguration processing;
    private final EventStore events;
    private final Clock clock;
    private final ProjectionQuarantine quarantine;
    private final QuarantineRetry retry;
    private final ProjectionCommits commits;
    private final Map<String, Rebuild> rebuilds = new ConcurrentHashMap<>();
    /** Logs the progress of the rebuilds still running; idle (one check, no line) when none is. */
    private final ScheduledExecutorService progressLog = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "rebuild-progress");
        thread.setDaemon(true);
        return thread;
    });
    private final NodeRoles roles;
    private final ProjectionTokens tokens;
    private final TurnRunnerRegistry runner;
    private final ObjectProvider<SegmentBalancer> balancers;
    private final EventPages pages;
    private final TransactionManager transactions;
    /** The projections that write a rebuild's pages of replayed events themselves, by processing group. */
    private final Map<String, ReplayedPages> directWriters = new ConcurrentHashMap<>();
    /** The last rebuild's replay (null before the first). */
    private volatile BulkReplay replay;
    /** {@link #PAGE_SIZE}; smaller in tests, so that a rebuild of a few events runs over many pages. */
    private volatile int pageSize = PAGE_SIZE;

    /** When a rebuild started, the head it replays up to, and whether its end has been logged. */
    private record Rebuild(Instant startedAt, long target, AtomicBoolean endLogged) {
    }

    public ProjectionsEndpoint(EventProcessingConfiguration processing, EventStore events, Clock clock,
                               ProjectionQuarantine quarantine, QuarantineRetry retry, ProjectionCommits commits,
                              NodeRoles roles, ProjectionTokens tokens, TurnRunnerRegistry runner,
                              ObjectProvider<SegmentBalancer> balancers, EventPages pages,
                              TransactionManager transactions, List<ReplayedPages> directWriters) {
        this.pages = pages;
        this.transactions = transactions;
        this.roles = roles;
        this.balancers = balancers;
        this.tokens = tokens;
        this.runner = runner;
        this.processing = processing;
        this.events = events;
        this.clock = clock;
        this.quarantine = quarantine;
        this.retry = retry;
        this.commits = commits;
        directWriters.forEach(writer -> this.directWriters.put(writer.processingGroup(), writer));
        long every = PROGRESS_LOG_INTERVAL.toMillis();
        progressLog.scheduleWithFixedDelay(this::logProgress, every, every, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stopProgressLog() throws InterruptedException {
        progressLog.shutdownNow();
        BulkReplay running = replay;
        if (running != null) {
            // ends after the page in hand; the processors complete the replay from its tokens on the next start
            running.stop(Duration.ofSeconds(10));
        }
    }

    /** The event store's head and, per projection, its slowest segment's position and the lag behind the head. */
    /** Events per page of the next rebuilds (tests). */
    void pageSize(int events) {
        this.pageSize = events;
    }

    @ReadOperation
    public ProjectionsStatus status() {
        long head = position(events.createHeadToken());
        Map<String, ProjectionStatus> projections = new LinkedHashMap<>();
        Map<String, Long> quarantined = quarantine.counts();
        for (String name : PROJECTIONS) {
            projections.put(name, status(name, head, quarantined.getOrDefault(name, 0L)));
        }
        SegmentBalancer balancer = balancers.getIfAvailable();
        return new ProjectionsStatus(head, runner.nodeName(), roles.describe(),
                balancer == null ? null : balancer.queryNodes(), projections);
    }

    /**
     * Rebuilds one projection ({@code {"projection":"trace"}}) or, without a body, all of them; with
     * {@code "action":"retry-quarantined"} retries the projection's (or every projection's) quarantined
     * events instead.
     */
    @WriteOperation
    public synchronized ProjectionsStatus rebuild(@Nullable String projection, @Nullable String action) {
        List<String> names = projection == null ? PROJECTIONS : List.of(known(projection));
        if (!roles.has(NodeRole.QUERY)) {
            String reason = "this node has no query role (convtrail.node.roles) and runs no projection; ask a query node";
            throw new InvalidEndpointRequestException(reason, reason);
        }
        if (RETRY_QUARANTINED.equals(action)) {
            if (replay != null && replay.running()) {
                throw conflict("a rebuild of " + replay.names() + " is running; it applies every event again");
            }
            names.forEach(retry::retry);
            return status();
        }
        if (action != null && !REBUILD.equals(action)) {
            String reason = "unknown action " + action + "; known: " + List.of(REBUILD, RETRY_QUARANTINED);
            throw new InvalidEndpointRequestException(reason, reason);
        }
        if (replay != null && replay.running()) {
            throw conflict("a rebuild of " + replay.names() + " is running; wait until it reaches the head");
        }
        heldElsewhere(names);
        long target = position(events.createHeadToken());
        List<ReplayedProjection> replayed = new ArrayList<>();
        try {
            for (String name : names) {
                StreamingEventProcessor processor = processor(name);
                processor.shutdownAsync().join();
                try {
                    // claims every segment (or fails, changing nothing) and empties the tables in one transaction
                    processor.resetTokens();
                    replayed.add(new ReplayedProjection(name, processing, transactions, directWriters.get(name),
                            commits));
                } catch (UnableToClaimTokenException e) {
                    processor.start();
                    throw conflict("a segment of " + name + " is held by another node (" + e.getMessage()
                            + "); the rebuild needs them all: " + PROCESSOR_ON_ONE_NODE);
                } catch (RuntimeException e) {
                    // the processor replays from whatever tokens the reset left, at its own pace
                    processor.start();
                    throw e;
                }
                commits.forget(name);
                quarantine.releaseAll(name);
            }
        } finally {
            if (!replayed.isEmpty()) {
                Instant startedAt = clock.instant();
                replayed.forEach(p -> {
                    rebuilds.put(p.name(), new Rebuild(startedAt, target, new AtomicBoolean()));
                    log.info("Rebuild of {} started: replaying {} events", p.name(), Math.max(0, target));
                });
                replay = new BulkReplay(replayed, pages, pageSize, name -> processor(name).start());
                replay.start();
            }
        }
        return status();
    }

    /** Refuses (409) while a node other than this one holds a segment of the projections. */
    private void heldElsewhere(List<String> names) {
        for (String name : names) {
            List<String> others = claims(name).stream().map(SegmentClaim::owner)
                    .filter(owner -> owner != null && !owner.equals(runner.nodeName())).distinct().toList();
            if (!others.isEmpty()) {
                throw conflict("segments of " + name + " are held by " + others + "; the rebuild needs them all: "
                        + PROCESSOR_ON_ONE_NODE);
            }
        }
    }

    private static ResponseStatusException conflict(String reason) {
        return new ResponseStatusException(HttpStatus.CONFLICT, reason);
    }

    private void logProgress() {
        if (rebuilds.values().stream().allMatch(rebuild -> rebuild.endLogged().get())) {
            return;
        }
        try {
            long head = position(events.createHeadToken());
            rebuilds.forEach((name, rebuild) -> {
                if (rebuild.endLogged().get()) {
                    return;
                }
                RebuildProgress progress = status(name, head, 0).progress();
                if (!progress.finished() || rebuild.endLogged().compareAndSet(false, true)) {
                    log.info(progress.describe(name));
                }
            });
        } catch (RuntimeException e) {
            // the next tick tries again; a progress line is not worth stopping the ticker for
            log.warn("Could not report rebuild progress: {}", e.toString());
        }
    }

    private ProjectionStatus status(String name, long head, long quarantined) {
        StreamingEventProcessor processor = processor(name);
        List<SegmentStatus> segments = new ArrayList<>();
        Rebuild rebuild = rebuilds.get(name);
        BulkReplay current = replay;
        boolean replayed = current != null && current.running() && current.names().contains(name);
        Long position;
        if (replayed) {
            // the rebuild's reader holds every segment: they all stand where its last page committed
            position = current.position();
            claims(name).forEach(claim -> segments.add(new SegmentStatus(claim.segment(), current.position(),
                    false, null)));
        } else {
            long slowest = Long.MAX_VALUE;
            for (EventTrackerStatus s : processor.processingStatus().values()) {
                long at = s.getCurrentPosition().orElse(-1L);
                slowest = Math.min(slowest, at);
                segments.add(new SegmentStatus(s.getSegment().getSegmentId(), at, s.isCaughtUp(),
                        s.isErrorState() ? String.valueOf(s.getError()) : null));
            }
            // conservative: a segment that owns none of the latest events stores its advanced token a
            // little later, so for a moment it shows a lag it does not really have
            position = segments.isEmpty() ? null : slowest;
        }
        Long lag = position == null ? null : Math.max(0, head - position);
        // Axon flags a segment as replaying until an event newer than the reset arrives; for an
        // operator the rebuild is over once every segment has reached the head it started from
        boolean replaying = rebuild != null && (position == null || position < rebuild.target());
        List<SegmentClaim> claims = claims(name);
        return new ProjectionStatus(processor.isRunning() || replayed, replaying, position, lag,
                rebuild == null ? null : rebuild.startedAt().toString(), rebuild == null ? null : rebuild.target(),
                segments, claims, owners(claims), quarantined,
                quarantined == 0 ? List.of() : quarantine.of(name).stream().limit(LISTED_QUARANTINE).toList(),
                rebuild == null ? null : RebuildProgress.of(rebuild.startedAt(), rebuild.target(), position,
                        clock.instant()));
    }

    /** Every segment of the projection and the node that holds it, whichever node that is. */
    private List<SegmentClaim> claims(String name) {
        return tokens.owners(name).entrySet().stream()
                .map(owner -> new SegmentClaim(owner.getKey(), owner.getValue())).toList();
    }

    /** The segments each node holds (released ones under no node). */
    private static Map<String, List<Integer>> owners(List<SegmentClaim> claims) {
        Map<String, List<Integer>> owners = new TreeMap<>();
        claims.stream().filter(claim -> claim.owner() != null)
                .forEach(claim -> owners.computeIfAbsent(claim.owner(), owner -> new ArrayList<>()).add(claim.segment()));
        return owners;
    }

    private StreamingEventProcessor processor(String name) {
        return processing.eventProcessor(name, StreamingEventProcessor.class)
                .orElseThrow(() -> new IllegalStateException("no streaming processor " + name));
    }

    private static String known(String projection) {
        if (!PROJECTIONS.contains(projection)) {
            String reason = "unknown projection " + projection + "; known: " + PROJECTIONS;
            throw new InvalidEndpointRequestException(reason, reason);
        }
        return projection;
    }

    private static long position(TrackingToken token) {
        return token == null ? -1L : token.position().orElse(-1L);
    }

    /**
     * {@code head} is the global position of the newest event (-1 when the store is empty); {@code node}
     * and {@code roles} are those of the node answering (the owner its claims show); {@code queryNodes} the
     * live query nodes its segment balance shares the segments with (null on a node without one).
     */
    public record ProjectionsStatus(long head, String node, String roles, List<String> queryNodes,
                                    Map<String, ProjectionStatus> projections) {
    }

    /**
     * {@code position} is the slowest segment's position (null while no segment is claimed);
     * {@code lag} is how far that is behind the head; {@code replaying} is true while a rebuild has
     * not yet reached {@code lastRebuildTarget}, the head when it started; {@code quarantined} counts
     * the events it holds aside, {@code quarantine} lists the first of them with their errors;
     * {@code progress} is the last rebuild's (null if none ran since the service started).
     * {@code segments} are those this node processes; {@code claims} every segment and its owner node,
     * across all nodes; {@code owners} the same by node: each node and the segments it holds.
     */
    public record ProjectionStatus(boolean running, boolean replaying, Long position, Long lag,
                                   String lastRebuildStartedAt, Long lastRebuildTarget,
                                   List<SegmentStatus> segments, List<SegmentClaim> claims,
                                   Map<String, List<Integer>> owners, long quarantined,
                                   List<QuarantinedEvent> quarantine, RebuildProgress progress) {
    }

    public record SegmentStatus(int segment, long position, boolean caughtUp, String error) {
    }

    /** A segment and the node holding its claim ({@code owner} null: released, any node may take it). */
    public record SegmentClaim(int segment, String owner) {
    }
}
