package io.convtrail.app.node;

import io.convtrail.app.runner.TurnRunnerRegistry;
import io.convtrail.query.ProjectionConfiguration;
import io.convtrail.query.projection.ProjectionTokens;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.CustomizableThreadCreator;

import java.sql.SQLException;
import java.time.Duration;
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
 */
public final class SegmentBalancer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SegmentBalancer.class);

    private final EventProcessingConfiguration processing;
    private final ProjectionTokens tokens;
    private final TurnRunnerRegistry runner;
    private final QueryNodePresence presence;
    private final Duration interval;
    private final Map<String, Long> quietUntil = new ConcurrentHashMap<>();
    private volatile List<String> queryNodes = List.of();
    private volatile boolean failing;
    private volatile boolean running;
    private ScheduledExecutorService ticks;

    SegmentBalancer(EventProcessingConfiguration processing, ProjectionTokens tokens, TurnRunnerRegistry runner,
                    QueryNodePresence presence, Duration interval) {
        this.processing = processing;
        this.tokens = tokens;
        this.runner = runner;
        this.presence = presence;
        this.interval = interval;
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
            processing.eventProcessor(projection, TrackingEventProcessor.class)
                    .filter(TrackingEventProcessor::isRunning)
                    .ifPresent(processor -> balance(projection, processor, nodes));
        }
    }

    private void balance(String projection, TrackingEventProcessor processor, Set<String> nodes) {
        Long quiet = quietUntil.get(projection);
        if (quiet != null && System.nanoTime() - quiet < 0) {
            return;
        }
        Map<Integer, String> owners = tokens.owners(projection);
        int share = (owners.size() + nodes.size() - 1) / nodes.size();
        List<Integer> mine = processor.processingStatus().keySet().stream().sorted().toList();
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
