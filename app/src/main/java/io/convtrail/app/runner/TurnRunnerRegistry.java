package io.convtrail.app.runner;

import io.convtrail.command.turn.TurnRunners;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.CustomizableThreadCreator;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The {@code turn_runner} table's owner. At start this process registers a new runner id and ends
 * every earlier run of its node (they are gone: the node runs one process at a time); it then beats
 * every {@code heartbeat} and records its end when it stops. Liveness is judged on the database's
 * clock, so the nodes' clocks do not matter.
 * <p>
 * The rule for another node's open turn: it is closed at once only when its runner has ended or has
 * been silent for longer than the liveness timeout; a turn a live node runs is never touched.
 */
public class TurnRunnerRegistry implements TurnRunners, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TurnRunnerRegistry.class);

    private final JdbcClient jdbc;
    private final String nodeName;
    private final RunnerProperties properties;
    private final UUID self = UUID.randomUUID();
    private ScheduledExecutorService beats;
    private volatile boolean running;
    private volatile boolean beatFailing;

    public TurnRunnerRegistry(JdbcClient jdbc, String nodeName, RunnerProperties properties) {
        this.jdbc = jdbc;
        this.nodeName = nodeName;
        this.properties = properties;
    }

    /** The node this process runs as (convtrail.node.name, or the name derived from where it runs). */
    public String nodeName() {
        return nodeName;
    }

    @Override
    public UUID self() {
        return self;
    }

    @Override
    public boolean isGone(UUID runnerId) {
        return jdbc.sql("""
                        SELECT ended_at IS NOT NULL OR heartbeat_at < now() - make_interval(secs => :timeout)
                        FROM turn_runner WHERE runner_id = :id""")
                .param("timeout", properties.livenessTimeout().toMillis() / 1000.0)
                .param("id", runnerId)
                .query(Boolean.class).optional()
                .orElse(true); // never registered here: not a runner of this database
    }

    /**
     * The nodes of those runners that still run: registered here, not ended, and beating within the
     * liveness timeout. A process that lost the database keeps its other connections for a while, but
     * not its heartbeat.
     */
    public Set<String> liveNodes(Collection<UUID> runnerIds) {
        if (runnerIds.isEmpty()) {
            return Set.of();
        }
        return new TreeSet<>(jdbc.sql("""
                        SELECT node_name FROM turn_runner WHERE runner_id IN (:ids) AND ended_at IS NULL
                        AND heartbeat_at >= now() - make_interval(secs => :timeout)""")
                .param("ids", runnerIds)
                .param("timeout", properties.livenessTimeout().toMillis() / 1000.0)
                .query(String.class).list());
    }

    @Override
    public void start() {
        int ended = jdbc.sql("UPDATE turn_runner SET ended_at = now() WHERE node_name = :node AND ended_at IS NULL")
                .param("node", nodeName).update();
        jdbc.sql("DELETE FROM turn_runner WHERE ended_at < now() - interval '7 days'").update();
        jdbc.sql("""
                        INSERT INTO turn_runner (runner_id, node_name, started_at, heartbeat_at)
                        VALUES (:id, :node, now(), now())""")
                .param("id", self).param("node", nodeName).update();
        log.info("Turn runner {} of node {} registered{}", self, nodeName,
                ended == 0 ? "" : "; its previous run ended without stopping (its open turns close at their next turn)");
        CustomizableThreadCreator names = new CustomizableThreadCreator("turn-runner-heartbeat-");
        names.setDaemon(true);
        beats = Executors.newSingleThreadScheduledExecutor(names::createThread);
        long every = properties.heartbeat().toMillis();
        beats.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
        running = true;
    }

    private void beat() {
        try {
            jdbc.sql("UPDATE turn_runner SET heartbeat_at = now() WHERE runner_id = :id").param("id", self).update();
            if (beatFailing) {
                beatFailing = false;
                log.info("Turn runner heartbeat recorded again");
            }
        } catch (RuntimeException e) {
            if (!beatFailing) {
                beatFailing = true; // one line per outage, not one per beat
                log.warn("Turn runner heartbeat failed (database unavailable?): {}", e.toString());
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        beats.shutdownNow();
        try {
            jdbc.sql("UPDATE turn_runner SET ended_at = now() WHERE runner_id = :id").param("id", self).update();
        } catch (RuntimeException e) {
            log.warn("Could not record the end of turn runner {}: {}", self, e.toString());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts before the web server takes requests and stops after it (and after the turn drain). */
    @Override
    public int getPhase() {
        return 0;
    }
}
