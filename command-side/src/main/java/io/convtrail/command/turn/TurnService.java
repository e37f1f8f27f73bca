package io.convtrail.command.turn;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.api.command.CompleteTurnCommand;
import io.convtrail.api.command.ConversationView;
import io.convtrail.api.command.StartTurnCommand;
import io.convtrail.api.command.TurnRequester;
import io.convtrail.api.refusal.Refusal;
import io.convtrail.api.refusal.RefusedException;
import io.convtrail.command.aggregate.TurnInProgressException;
import io.convtrail.command.turn.TurnGate.RunningTurn;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The lifecycle of one turn: open it on the aggregate (waiting a bounded time for a running turn
 * of the same conversation), let the engine run it, and close it with its last records, whatever
 * the engine did. Answers a {@link TurnResult}; what it looks like on the wire is the endpoint's.
 */
@Service
public class TurnService {

    private static final Logger log = LoggerFactory.getLogger(TurnService.class);

    private final CommandGateway commands;
    private final ConversationEngine engine;
    private final ObjectMapper json;
    private final Clock clock;
    private final TurnProperties properties;
    private final TurnGate gate;
    private final TurnRunners runners;
    private final TurnRateLimiter turnRate;
    private final TurnBackpressure backpressure;

    public TurnService(CommandGateway commands, ConversationEngine engine, ObjectMapper json, Clock clock,
                       TurnProperties properties, TurnGate gate, TurnRunners runners, TurnRateLimiter turnRate,
                       TurnBackpressure backpressure) {
        this.commands = commands;
        this.engine = engine;
        this.json = json;
        this.clock = clock;
        this.properties = properties;
        this.gate = gate;
        this.runners = runners;
        this.turnRate = turnRate;
        this.backpressure = backpressure;
    }

    /** A validated turn request. */
    public record TurnRequest(UUID conversationId, String message, boolean reset, Map<String, Object> inputParams,
                              TurnRequester requester) {
    }

    public TurnResult handle(TurnRequest request) {
        turnRate.admit(request.conversationId());
        backpressure.awaitReadSide();
        UUID turnId = UUID.randomUUID();
        RunningTurn running = gate.admit(request.conversationId(), turnId);
        try {
            return run(request, turnId, running);
        } finally {
            gate.release(running);
        }
    }

    private TurnResult run(TurnRequest request, UUID turnId, RunningTurn running) {
        ConversationView view = startTurn(request, turnId);
        TurnJournal journal = new TurnJournal(commands, json, clock, request.conversationId(), turnId);
        TurnInput input = new TurnInput(request.conversationId(), turnId, request.message(), request.reset(),
                request.inputParams(), view);
        TurnResult result;
        try {
            result = engine.run(input, journal);
        } catch (RuntimeException e) {
            log.error("Turn {} of conversation {} failed outside the engine's own handling", turnId,
                    request.conversationId(), e);
            result = journal.failed(e, view.intent(), view.state(), view.conversation());
        }
        if (running.abandoned()) {
            // closed by the stopping service (which interrupted the turn's blocking call): nothing more to record
            Thread.interrupted();
            throw ServiceStoppingException.abandoned();
        }
        try {
            commands.sendAndWait(new CompleteTurnCommand(request.conversationId(), turnId, journal.drain(),
                    result.conversation(), result.outcome(), clock.instant()));
        } catch (RuntimeException e) {
            // closed meanwhile by the stopping service: refused as not open, or cut by its interrupt
            if (running.abandoned()) {
                Thread.interrupted();
                throw ServiceStoppingException.abandoned();
            }
            throw e;
        }
        return result;
    }

    /**
     * Opens the turn, waiting for the conversation's running turn. An open turn whose runner is gone
     * (this process, not running it any more; or another process that stopped or died) is closed as
     * abandoned at once; one a live process is running is waited for, up to the abandon timeout.
     */
    private ConversationView startTurn(TurnRequest request, UUID turnId) {
        Instant deadline = clock.instant().plus(properties.busyWait());
        long pause = 10;
        UUID abandonTurnId = null;
        while (true) {
            try {
                return commands.sendAndWait(new StartTurnCommand(request.conversationId(), turnId,
                        request.message(), request.reset(), request.inputParams(), engine.flow().flowId(),
                        engine.flow().contentHash(), clock.instant(), properties.abandonAfter().toMillis(),
                        properties.maxConversationRecords(), request.requester(), runners.self(), abandonTurnId));
            } catch (TurnInProgressException | ConcurrencyException e) {
                if (e instanceof TurnInProgressException open && !open.openTurnId().equals(abandonTurnId)
                        && isDead(open)) {
                    abandonTurnId = open.openTurnId();
                    continue;
                }
                if (!clock.instant().isBefore(deadline)) {
                    throw new RefusedException(Refusal.TURN_IN_PROGRESS, "Conversation " + request.conversationId()
                            + " is running another turn; waited " + properties.busyWait().toMillis()
                            + " ms. Retry when it has answered.").with("conversationId", request.conversationId());
                }
                sleep(pause);
                pause = Math.min(pause * 2, 100);
            }
        }
    }

    private boolean isDead(TurnInProgressException open) {
        if (open.runnerId() == null) {
            return false; // recorded before turns named their runner: only the timeout can tell
        }
        if (open.runnerId().equals(runners.self())) {
            return !gate.isRunning(open.openTurnId()); // ours, but it ended without closing (e.g. a database outage)
        }
        return runners.isGone(open.runnerId());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the conversation's running turn", e);
        }
    }
}
