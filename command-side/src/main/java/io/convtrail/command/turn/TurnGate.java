package io.convtrail.command.turn;

import io.convtrail.api.command.AbandonTurnCommand;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Admits turns while the service runs and drains them when it stops. The drain runs on
 * {@link ContextClosedEvent}, before any component stops (web server, streams, event processors,
 * the database are all still up): new turns are refused with 503, running turns get the grace
 * period to finish, and those still running after it are closed as abandoned in the event store and
 * their threads interrupted, so their requests answer 503 and the conversation takes its next turn
 * right after the restart.
 */
@Component
public class TurnGate {

    private static final Logger log = LoggerFactory.getLogger(TurnGate.class);
    /** How long interrupted turns get to answer before the web server stops waiting for requests. */
    private static final Duration ANSWER_AFTER_ABANDON = Duration.ofSeconds(5);

    private final Map<UUID, RunningTurn> running = new ConcurrentHashMap<>();
    private final CommandGateway commands;
    private final Clock clock;
    private final TurnProperties properties;
    private final ApplicationEventPublisher events;
    private volatile boolean closed;

    public TurnGate(CommandGateway commands, Clock clock, TurnProperties properties, ApplicationEventPublisher events) {
        this.commands = commands;
        this.clock = clock;
        this.properties = properties;
        this.events = events;
    }

    /** Registers a turn run by the calling thread; refused once the service is stopping. */
    RunningTurn admit(UUID conversationId, UUID turnId) {
        if (closed) {
            throw ServiceStoppingException.refused();
        }
        RunningTurn turn = new RunningTurn(conversationId, turnId, Thread.currentThread());
        running.put(turnId, turn);
        if (closed) {
            // the drain may have taken its snapshot before this turn registered
            running.remove(turnId);
            throw ServiceStoppingException.refused();
        }
        return turn;
    }

    /** Whether this process is running the turn right now. */
    boolean isRunning(UUID turnId) {
        return running.containsKey(turnId);
    }

    /** Ends the turn's registration; after it, the drain never interrupts the calling thread again. */
    void release(RunningTurn turn) {
        turn.finish();
        running.remove(turn.turnId());
        // an interrupt sent just before finish() must not reach the next request this pooled thread serves
        Thread.interrupted();
    }

    /** First of the stop steps (streams settle after it). */
    @EventListener(ContextClosedEvent.class)
    @Order(Ordered.HIGHEST_PRECEDENCE)
    void drain() {
        closed = true;
        AvailabilityChangeEvent.publish(events, this, ReadinessState.REFUSING_TRAFFIC);
        int atStop = running.size();
        if (atStop == 0) {
            return;
        }
        log.info("Stopping: {} turn(s) running, waiting up to {} for them to finish", atStop, properties.shutdownGrace());
        waitForRunning(properties.shutdownGrace());
        List<RunningTurn> left = List.copyOf(running.values());
        int abandoned = 0;
        for (RunningTurn turn : left) {
            if (abandon(turn)) {
                abandoned++;
            }
        }
        waitForRunning(ANSWER_AFTER_ABANDON);
        log.info("Stopped taking turns: {} finished, {} recorded as abandoned, {} still running", atStop - left.size(),
                abandoned, running.size());
    }

    private boolean abandon(RunningTurn turn) {
        try {
            Boolean closedIt = commands.sendAndWait(new AbandonTurnCommand(turn.conversationId(), turn.turnId(),
                    "SHUTDOWN", clock.instant()));
            if (Boolean.TRUE.equals(closedIt)) {
                turn.abandoned = true;
                turn.interrupt();
                return true;
            }
            return false;
        } catch (RuntimeException e) {
            // e.g. the database is down: the next turn of the conversation closes it (its runner is gone by then)
            log.warn("Could not record turn {} as abandoned while stopping: {}", turn.turnId(), e.toString());
            turn.interrupt();
            return false;
        }
    }

    private void waitForRunning(Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!running.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One turn in this process and the thread that runs it. */
    static final class RunningTurn {

        private final UUID conversationId;
        private final UUID turnId;
        private final Thread thread;
        private boolean finished;
        private volatile boolean abandoned;

        RunningTurn(UUID conversationId, UUID turnId, Thread thread) {
            this.conversationId = conversationId;
            this.turnId = turnId;
            this.thread = thread;
        }

        UUID conversationId() {
            return conversationId;
        }

        UUID turnId() {
            return turnId;
        }

        /** Whether the stopping service closed this turn (its records after that are refused). */
        boolean abandoned() {
            return abandoned;
        }

        synchronized void finish() {
            finished = true;
        }

        /** Interrupts the turn's blocking call (a tool, an LLM) unless the turn has already finished. */
        synchronized void interrupt() {
            if (!finished) {
                thread.interrupt();
            }
        }
    }
}
