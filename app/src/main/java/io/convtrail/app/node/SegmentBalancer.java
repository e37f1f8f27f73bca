package io.convtrail.app.node;

import io.convtrail.app.runner.TurnRunnerRegistry;
import io.convtrail.query.ProjectionConfiguration;
import io.convtrail.query.projection.ProjectionCommits;
import io.convtrail.query.projection.ProjectionTokens;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.CustomizableThreadCreator;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Spreads each projection's segments over the live query nodes. Axon lets a node claim every segment its
 * threads allow, so the first query node to start would hold them all and the others would only stand by.
 * Every {@link SegmentBalance#interval()} this node works out its fair share of each projection,
 * {@code ceil(segments / live query nodes)}, and releases what it holds above it (the highest segment ids)
 * for twice the interval, in which another node's free thread claims it at its next
 * {@code token-claim-interval}. Live query nodes are those connected ({@link QueryNodePresence}) and
 * beating ({@code turn_runner}).
 * <p>
 * No flapping: a node only releases as many segments as the other live query nodes lack of their share,
 * so a segment never goes back and forth between two nodes at their share, and after releasing it waits
 * out the release before looking at that projection again. When a node dies its segments go to whoever
 * claims them first after the claim timeout; the balance then moves the surplus on, one interval later.
 * <p>
 * Fewer segments: a projection whose token table holds more segments than its {@code initial-segment-count}
 * (made when the default was higher; the count only applies when the table is first made) is merged down
 * to it with the processor's {@link StreamingEventProcessor#mergeSegment} (Axon's tracking processor's, or a
 * {@code DirectReader}'s), only by a node that holds both segments
 * of a pair, so no claim of another node is ever waited on or broken (Axon's merge claims the other
 * segment itself and fails, changing nothing, if it cannot). Until then a node gives up whole pairs
 * rather than halves of two, so that each node's share can be merged where it is. The merged segment
 * starts from both halves' tokens ({@code MergedTrackingToken}): no event is skipped or handled twice.
 */
public final class SegmentBalancer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SegmentBalancer.class);

    private final EventProcessingConfiguration processing;
    private final ProjectionTokens tokens;
    private final ProjectionCommits commits;
    private final TurnRunnerRegistry runner;
    private final QueryNodePresence presence;
    private final Duration interval;
    /** The segment count each projection is merged down to (its initial-segment-count); none: no merge. */
    private final Map<String, Integer> segments;
    private final Map<String, Long> quietUntil = new ConcurrentHashMap<>();
    private volatile List<String> queryNodes = List.of();
    private volatile boolean failing;
    private volatile boolean running;
    private ScheduledExecutorService ticks;

    SegmentBalancer(EventProcessingConfiguration processing, ProjectionTokens tokens, ProjectionCommits commits,
                    TurnRunnerRegistry runner, QueryNodePresence presence, Duration interval,
                    Map<String, Integer> segments) {
        this.processing = processing;
        this.tokens = tokens;
        this.commits = commits;
        this.runner = runner;
        this.presence = presence;
        this.interval = interval;
        this.segments = Map.copyOf(segments);
    }

    /** The live query nodes at the last look (this one included), by name, in order. */
    public List<String> queryNodes() {
        return queryNodes;
    }

    void balance() {
        Set<String> nodes;
        try {
            nodes = new TreeSet<>(runner.liveNodes(presence.present()));
        } catch (SQLException | RuntimeException e) {
            if (!failing) {
                failing = true; // one line per outage
                log.warn("Segment balance paused: cannot see the other query nodes ({})", e.toString());
            }
            return;
        }
        failing = false;
        nodes.add(runner.nodeName());
        queryNodes = List.copyOf(nodes);
        for (String projection : ProjectionConfiguration.PROJECTIONS) {
            processing.eventProcessor(projection, StreamingEventProcessor.class)
                    .filter(StreamingEventProcessor::isRunning)
                    .ifPresent(processor -> balance(projection, processor, nodes));
        }
    }

    private void balance(String projection, StreamingEventProcessor processor, Set<String> nodes) {
        Long quiet = quietUntil.get(projection);
        if (quiet != null && System.nanoTime() - quiet < 0) {
            return;
        }
        Map<Integer, String> owners = tokens.owners(projection);
        Map<Integer, EventTrackerStatus> status = processor.processingStatus();
        int excess = owners.size() - segments.getOrDefault(projection, owners.size());
        if (excess > 0 && merge(projection, processor, owners, status, excess)) {
            return;
        }
        int share = (owners.size() + nodes.size() - 1) / nodes.size();
        // while segments are still to be merged, whole pairs are given up (see merge), else the highest ids
        Comparator<Integer> order = excess > 0 ? Comparator.comparingInt((Integer id) -> pair(owners, id))
                .thenComparingInt(id -> id) : Comparator.naturalOrder();
        List<Integer> mine = status.keySet().stream().sorted(order).toList();
        if (mine.size() <= share) {
            return;
        }
        Map<String, Long> held = owners.values().stream().filter(Objects::nonNull)
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        long lacking = nodes.stream().filter(node -> !node.equals(runner.nodeName()))
                .mapToLong(node -> Math.max(0, share - held.getOrDefault(node, 0L))).sum();
        int release = (int) Math.min(mine.size() - share, lacking);
        if (release == 0) {
            return;
        }
        Duration hold = interval.multipliedBy(2);
        List<Integer> released = mine.subList(mine.size() - release, mine.size());
        released.forEach(segment -> processor.releaseSegment(segment, hold.toMillis(), TimeUnit.MILLISECONDS));
        quietUntil.put(projection, System.nanoTime() + hold.plus(interval).toNanos());
        log.info("Projection {}: released segment(s) {} for {} s; this node holds {} of {}, its share with query"
                + " nodes {}", projection, released, hold.toSeconds(), mine.size(), owners.size(), nodes);
    }

    /** The lower id of the segment's pair: the id the two have once merged. */
    private static int pair(Map<Integer, String> owners, int segment) {
        int[] ids = owners.keySet().stream().mapToInt(Integer::intValue).toArray();
        return Math.min(segment, Segment.computeSegment(segment, ids).mergeableSegmentId());
    }

    /**
     * Asks the processor to merge each pair of segments this node holds both of, at most {@code excess}
     * of them; true if it asked for any (the projection is then left alone while the merges run and the
     * merged segments are claimed again). Readers forget the tokens this node committed per segment
     * ({@link ProjectionCommits#forget}): a token the lower half committed says nothing of the upper
     * half's events, which the merged segment, under the lower id, now owns. Axon completes the merge
     * in its transaction, before the commit, so they forget before the merged layout can be read.
     */
    private boolean merge(String projection, StreamingEventProcessor processor, Map<Integer, String> owners,
                          Map<Integer, EventTrackerStatus> status, int excess) {
        List<Integer> lower = new ArrayList<>();
        for (int segment : status.keySet()) {
            int other = status.get(segment).getSegment().mergeableSegmentId();
            if (other > segment && status.containsKey(other) && owners.containsKey(other)
                    && !status.get(segment).isErrorState() && !status.get(other).isErrorState()
                    && lower.size() < excess) {
                lower.add(segment);
            }
        }
        if (lower.isEmpty()) {
            return false;
        }
        for (int segment : lower) {
            processor.mergeSegment(segment).whenComplete((merged, failure) -> {
                commits.forget(projection);
                if (failure != null) {
                    log.warn("Projection {}: merging segment {} with its pair failed ({}); the next look tries again",
                            projection, segment, failure.toString());
                } else if (Boolean.TRUE.equals(merged)) {
                    log.info("Projection {}: merged segment {} with its pair", projection, segment);
                }
            });
        }
        quietUntil.put(projection, System.nanoTime() + interval.multipliedBy(3).toNanos());
        log.info("Projection {}: {} segments, {} configured; merging {} with their pairs", projection, owners.size(),
                owners.size() - excess, lower);
        return true;
    }

    @Override
    public void start() {
        CustomizableThreadCreator names = new CustomizableThreadCreator("segment-balance-");
        names.setDaemon(true);
        ticks = Executors.newSingleThreadScheduledExecutor(names::createThread);
        long every = interval.toMillis();
        ticks.scheduleWithFixedDelay(() -> {
            try {
                balance();
            } catch (RuntimeException e) {
                // the next tick looks again; a balance is never worth stopping the ticker for
                log.warn("Segment balance failed: {}", e.toString());
            }
        }, every, every, TimeUnit.MILLISECONDS);
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        ticks.shutdownNow();
        presence.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
