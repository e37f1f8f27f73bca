package io.convtrail.command.privacy;

import io.convtrail.api.command.EraseConversationCommand;
import io.convtrail.api.rest.ErasureReceipt;
import io.convtrail.command.turn.TurnProperties;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * Erases one conversation, for the DELETE endpoint and the retention job alike: the aggregate destroys
 * the key and records the erasure in one transaction, or refuses (unknown, already erased, a turn
 * running) with nothing changed.
 */
@Service
public class ConversationErasure {

    private static final Logger log = LoggerFactory.getLogger(ConversationErasure.class);

    private final CommandGateway commands;
    private final TurnProperties turns;
    private final Clock clock;

    public ConversationErasure(CommandGateway commands, TurnProperties turns, Clock clock) {
        this.commands = commands;
        this.turns = turns;
        this.clock = clock;
    }

    public ErasureReceipt erase(UUID conversationId, String erasedBy, String reason) {
        Instant at = clock.instant();
        Boolean shredded = commands.sendAndWait(new EraseConversationCommand(conversationId, erasedBy, reason, at,
                turns.abandonAfter().toMillis()));
        boolean wasShredded = Boolean.TRUE.equals(shredded);
        if (!wasShredded) {
            log.warn("Conversation {} erased without a key to destroy (written with encryption off): its content is "
                    + "hidden from every reader but still stored", conversationId);
        }
        return new ErasureReceipt(conversationId, erasedBy, reason, at.toString(), wasShredded);
    }
}
