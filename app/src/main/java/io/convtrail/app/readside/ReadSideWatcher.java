package io.convtrail.app.readside;

import io.convtrail.query.audit.AuditProjection;
import io.convtrail.query.projection.ProjectionTokens;
import io.convtrail.query.projection.ProjectionTokens.SegmentPosition;
import io.convtrail.query.trace.TraceProjection;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.springboot.TokenStoreProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Keeps the read side's lag in memory for every turn of this node: one background thread reads the
 * event store's head and the audit and trace projections' committed tokens (two small queries) every
 * {@code poll-interval}, and wakes the turns waiting on it. It reads the database, not this node's
 * processors, so it holds on a command-only node too, whichever nodes project. It polls only while
 * turns run or wait (a turn in the last second) and sleeps otherwise, so an idle service queries nothing.
 * <p>
 * Only live segments count: claimed, not rebuilding, and owned by a node that renewed any of its audit
 * or trace claims within the last {@value #SILENT_OWNER_SECONDS} s (an owner stores its token after
 * every batch and renews its claim every second while idle), or within Axon's claim timeout if that is
 * shorter; a segment whose batch takes longer still counts while its node renews the others. A segment
 * between two owners (moved by the segment balance), or left by a node that died until another takes
 * it over after the claim timeout, holds no turn back meanwhile; it counts again, at its own position,
 * once claimed. So a killed query node stops turns for a few seconds at most instead of failing them for
 * the whole takeover, and a projection stopped everywhere, on no node at all, or rebuilding holds no
 * turn back: the bound is about keeping a running read side current, never about stopping turns
 * because no read side runs.
 * The conversation index is left out: no read or stream waits on it per event, and its single
 * segment would cap turns at what one thread projects.
 */
@Component
class ReadSideWatcher implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ReadSideWatcher.class);
    static final List<String> BOUNDED = List.of(AuditProjection.PROCESSING_GROUP, TraceProjection.PROCESSING_GROUP);
    /** How long after the last turn the watcher keeps polling. */
    private static final long ACTIVE_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** A claim not renewed this long is a silent owner's (a live one renews at least every second). */
    static final long SILENT_OWNER_SECONDS = 4;

    private final ProjectionTokens tokens;
    private final EventStore events;
    private final Clock clock;
    /** How recently a segment's claim must have been renewed for it to count. */
    private final Duration liveClaim;
    private final long pollNanos;
    private final long inFlightNanos;
    /** In-flight events discounted from the lag at most: the lag counted and discounted stays in the store's cache. */
    private final long maxInFlight;
    private final HeadHistory heads;
    /** Guards {@link #lag} and is what waiting turns wait on. */
    private final Object changed = new Object();
    /** What the idle watcher waits on. */
    private final Object demanded = new Object();
    private volatile ReadSideReading lag = ReadSideReading.NONE_YET;
    private final TurnSize turnSize = new TurnSize();
    private volatile long lastDemand = System.nanoTime() - ACTIVE_NANOS;
    private volatile boolean idle;
    private volatile boolean stopped;
    private volatile Thread thread;

    ReadSideWatcher(ProjectionTokens tokens, EventStore events, Clock clock, TokenStoreProperties tokenStore,
                    ReadSideProperties properties) {
        this.tokens = tokens;
        this.events = events;
        this.clock = clock;
        this.liveClaim = tokenStore.getClaimTimeout().compareTo(Duration.ofSeconds(SILENT_OWNER_SECONDS)) < 0
                ? tokenStore.getClaimTimeout() : Duration.ofSeconds(SILENT_OWNER_SECONDS);
        this.pollNanos = properties.pollInterval().toNanos();
        this.inFlightNanos = properties.inFlight().toNanos();
        this.maxInFlight = 2 * properties.maxLag();
        // far enough back for the in-flight window and past the delay bound (a delay beyond what is kept reads as its span)
        long reach = Math.max(inFlightNanos, 2 * properties.maxDelay().toNanos());
        this.heads = new HeadHistory((int) Math.min(4096, reach / pollNanos + 2));
    }

    /** The lag as last read; the watcher starts (or wakes) at the first turn. */
    ReadSideReading current() {
        return lag;
    }

    /** Tells the watcher turns are running, so it keeps the lag current. Cheap: a volatile write. */
    void demand() {
        lastDemand = System.nanoTime();
        if (thread == null) {
            start();
        } else if (idle) {
            synchronized (demanded) {
                demanded.notifyAll();
            }
        }
    }

    /** Waits for a reading after {@code seen}, at most until the deadline; answers the newest reading. */
    ReadSideReading awaitAfter(ReadSideReading seen, long deadlineNanos) throws InterruptedException {
        synchronized (changed) {
            long left;
            while (lag == seen && (left = deadlineNanos - System.nanoTime()) > 0) {
                demand();
                TimeUnit.NANOSECONDS.timedWait(changed, Math.min(left, pollNanos * 10));
            }
            return lag;
        }
    }

    private synchronized void start() {
        if (thread == null && !stopped) {
            thread = new Thread(this::run, "read-side-watcher");
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void run() {
        boolean failing = false;
        while (!stopped) {
            try {
                if (System.nanoTime() - lastDemand > ACTIVE_NANOS) {
                    sleepUntilDemanded();
                    continue;
                }
                publish(read());
                if (failing) {
                    log.info("Read-side lag readable again; turns are held back while it exceeds the bound");
                    failing = false;
                }
                TimeUnit.NANOSECONDS.sleep(pollNanos);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // the database is away: no turn is held back for it (the turn itself answers 503 database-unavailable)
                publish(ReadSideReading.unknown(lag.head, turnSize.events()));
                if (!failing) {
                    log.warn("Cannot read the read side's lag, turns are not held back meanwhile: {}", e.toString());
                    failing = true;
                }
                try {
                    TimeUnit.NANOSECONDS.sleep(Math.max(pollNanos, TimeUnit.MILLISECONDS.toNanos(500)));
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    private void sleepUntilDemanded() throws InterruptedException {
        synchronized (demanded) {
            idle = true;
            try {
                while (!stopped && System.nanoTime() - lastDemand > ACTIVE_NANOS) {
                    demanded.wait(1000);
                }
            } finally {
                idle = false;
            }
        }
    }

    private ReadSideReading read() {
        List<SegmentPosition> segments = tokens.positions(BOUNDED);
        TrackingToken headToken = events.createHeadToken();
        long head = headToken == null ? -1L : headToken.position().orElse(-1L);
        Map<String, Long> slowest = slowestLive(segments, clock.instant().minus(liveClaim));
        ReadSideReading previous = lag;
        // not across a pause: what was appended meanwhile (scripts, other nodes) is not this node's turns
        if (previous.head >= 0 && head >= previous.head && !previous.olderThan(ACTIVE_NANOS)) {
            turnSize.observe(head - previous.head, previous.admitted());
        } else if (head < previous.head) {
            heads.forget();
        } else {
            heads.clear();
        }
        long now = System.nanoTime();
        heads.add(now, head);
        if (slowest.isEmpty()) {
            return ReadSideReading.unknown(head, turnSize.events());
        }
        long slowestPosition = slowest.values().stream().mapToLong(Long::longValue).min().orElse(head);
        long events = Math.max(0, head - slowestPosition);
        long delay = now - heads.firstPast(slowestPosition, now);
        return new ReadSideReading(events, behind(events, head, heads.headSince(now - inFlightNanos), maxInFlight),
                delay, true, head, turnSize.events(), now);
    }

    /**
     * Of {@code events} not yet projected, those not appended since {@code headInWindow}, the head at
     * the first reading inside the in-flight window (-1: none; right after a pause the window holds
     * only this reading, so every event counts). At most {@code maxInFlight} events are taken for in flight.
     */
    static long behind(long events, long head, long headInWindow, long maxInFlight) {
        long inFlight = headInWindow < 0 ? 0 : Math.min(maxInFlight, Math.max(0, head - headInWindow));
        return Math.max(0, events - inFlight);
    }

    /**
     * Each projection's position: that of its slowest live segment, one that is claimed, not rebuilding,
     * and owned by a node that renewed a claim since {@code liveSince}. A segment counts while its owner
     * does: a node busy with one long batch (the segment's claim is renewed only when the batch commits)
     * still renews its other segments' claims, so that segment stays counted however long the batch
     * takes, while every segment of a node that died goes silent together.
     */
    static Map<String, Long> slowestLive(List<SegmentPosition> segments, Instant liveSince) {
        Set<String> liveOwners = segments.stream()
                .filter(s -> s.owner() != null && s.claimedAt().isAfter(liveSince))
                .map(SegmentPosition::owner)
                .collect(Collectors.toSet());
        return segments.stream()
                .filter(s -> s.owner() != null && !s.replaying() && liveOwners.contains(s.owner()))
                .collect(Collectors.toMap(SegmentPosition::processor, SegmentPosition::position, Math::min));
    }

    private void publish(ReadSideReading read) {
        synchronized (changed) {
            lag = read;
            changed.notifyAll();
        }
    }

    @Override
    public void destroy() throws InterruptedException {
        Thread running;
        synchronized (this) {
            stopped = true;
            running = thread;
        }
        if (running != null) {
            running.interrupt();
            running.join(TimeUnit.SECONDS.toMillis(5));
        }
    }
}
