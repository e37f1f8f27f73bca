package io.convtrail.query.index;

import io.convtrail.api.event.ConversationErasedEvent;
import io.convtrail.api.event.TurnAbandonedEvent;
import io.convtrail.api.event.TurnCompletedEvent;
import io.convtrail.api.event.TurnOutcome;
import io.convtrail.api.event.TurnStartedEvent;
import io.convtrail.api.privacy.ContentOpener;
import io.convtrail.api.privacy.ConversationKeys;
import io.convtrail.api.query.FindConversationsQuery;
import io.convtrail.api.rest.ConversationSummary;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * The conversation index: one summary per conversation (owner, times, turns, last intent and state,
 * outcome counts, flow), kept from the turn events alone, so finding conversations never reads the
 * audit. Its own processor: a rebuild of the audit or the trace leaves it alone, and the other way round.
 * The user's messages are kept opened (searching needs the text), in their own table, which an erasure
 * empties for the conversation; a rebuild after an erasure finds the key gone and keeps no text.
 */
@Component
@ProcessingGroup(ConversationIndexProjection.PROCESSING_GROUP)
public class ConversationIndexProjection {

    public static final String PROCESSING_GROUP = "conversation-index";

    private final ConversationIndexRepository repository;
    private final ConversationKeys keys;

    ConversationIndexProjection(ConversationIndexRepository repository, ConversationKeys keys) {
        this.repository = repository;
        this.keys = keys;
    }

    @EventHandler
    void on(TurnStartedEvent e) {
        ContentOpener opener = ContentOpener.of(e.conversationId(), keys.forReading(e.conversationId()));
        repository.startTurn(e.conversationId(), e.turnId(), e.turnIndex(), e.startedAt(), e.owner(), e.flowId(),
                e.flowHash(), opener.erased() ? null : opener.text(e.userText()));
    }

    @EventHandler
    void on(ConversationErasedEvent e) {
        repository.eraseText(e.conversationId());
    }

    @EventHandler
    void on(TurnCompletedEvent e) {
        repository.endTurn(e.conversationId(), e.turnId(), e.completedAt(),
                e.outcome() == null ? null : e.outcome().name(), e.intent(), e.state());
    }

    @EventHandler
    void on(TurnAbandonedEvent e) {
        repository.endTurn(e.conversationId(), e.turnId(), e.abandonedAt(), TurnOutcome.ABANDONED.name(), null, null);
    }

    @ResetHandler
    void reset() {
        repository.truncate();
    }

    @QueryHandler
    List<ConversationSummary> handle(FindConversationsQuery query) {
        return repository.find(query);
    }
}
