package io.convtrail.query.index;

import io.convtrail.api.event.ConversationErasedEvent;
import io.convtrail.api.event.TurnAbandonedEvent;
import io.convtrail.api.event.TurnCompletedEvent;
import io.convtrail.api.event.TurnOutcome;
import io.convtrail.api.event.TurnStartedEvent;
import io.convtrail.api.privacy.ContentKey;
import io.convtrail.api.privacy.ContentOpener;
import io.convtrail.api.privacy.ConversationKeys;
import io.convtrail.api.query.FindConversationsQuery;
import io.convtrail.api.rest.ConversationSummary;
import io.convtrail.query.projection.ProjectionBatches;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The conversation index: one summary per conversation (owner, times, turns, last intent and state,
 * outcome counts, flow), kept from the turn events alone, so finding conversations never reads the
 * audit. Its own processor: a rebuild of the audit or the trace leaves it alone, and the other way round.
 * A processor batch's changes are written together just before it commits ({@link ProjectionBatches}).
 * The user's messages are kept opened (searching needs the text), in their own table, which an erasure
 * empties for the conversation; a rebuild after an erasure finds the key gone and keeps no text. Texts
 * are opened per batch, with one key lookup for all the batch's conversations.
 */
@Component
@ProcessingGroup(ConversationIndexProjection.PROCESSING_GROUP)
public class ConversationIndexProjection {

    public static final String PROCESSING_GROUP = "conversation-index";

    private final ConversationIndexRepository repository;
    private final ConversationKeys keys;
    private final ProjectionBatches batches;

    ConversationIndexProjection(ConversationIndexRepository repository, ConversationKeys keys,
                                ProjectionBatches batches) {
        this.repository = repository;
        this.keys = keys;
        this.batches = batches;
    }

    /** The user text as stored (sealed or not): it is opened when the batch is written. */
    @EventHandler
    void on(TurnStartedEvent e) {
        add(new ConversationIndexRepository.TurnStart(e.conversationId(), e.turnId(), e.turnIndex(), e.startedAt(),
                e.owner(), e.flowId(), e.flowHash(), e.userText()));
    }

    @EventHandler
    void on(ConversationErasedEvent e) {
        add(new Erased(e.conversationId()));
    }

    @EventHandler
    void on(TurnCompletedEvent e) {
        add(new ConversationIndexRepository.TurnEnd(e.conversationId(), e.turnId(), e.completedAt(),
                e.outcome() == null ? null : e.outcome().name(), e.intent(), e.state()));
    }

    @EventHandler
    void on(TurnAbandonedEvent e) {
        add(new ConversationIndexRepository.TurnEnd(e.conversationId(), e.turnId(), e.abandonedAt(),
                TurnOutcome.ABANDONED.name(), null, null));
    }

    private record Erased(UUID conversationId) {
    }

    private void add(Object change) {
        batches.add(PROCESSING_GROUP, this::write, change);
    }

    /**
     * Applies a batch: turn starts, then ends, then erasures, then one summary per conversation. An
     * erasure comes after the starts: a start handled after its conversation's key was deleted holds
     * no text, so only texts stored before the erasure are deleted. A turn ended twice keeps its later end.
     * A fresh (replayed) batch is written the same way: its few rows per turn are upserts.
     */
    private void write(List<Object> changes, boolean fresh) {
        List<ConversationIndexRepository.TurnStart> starts = new ArrayList<>();
        Map<UUID, ConversationIndexRepository.TurnEnd> ends = new LinkedHashMap<>();
        Set<UUID> erased = new LinkedHashSet<>();
        Set<UUID> touched = new LinkedHashSet<>();
        for (Object change : changes) {
            if (change instanceof ConversationIndexRepository.TurnStart start) {
                starts.add(start);
                touched.add(start.conversationId());
            } else if (change instanceof ConversationIndexRepository.TurnEnd end) {
                ends.remove(end.turnId());
                ends.put(end.turnId(), end);
                touched.add(end.conversationId());
            } else if (change instanceof Erased erasure) {
                erased.add(erasure.conversationId());
            }
        }
        repository.startTurns(opened(starts));
        repository.endTurns(new ArrayList<>(ends.values()));
        repository.eraseTexts(erased);
        repository.summarize(touched);
    }

    /**
     * The starts with their texts opened: the keys of the conversations with a text are read in one
     * statement, straight from the key table in the batch's transaction (no cache), so a key erased on
     * any node opens nothing here; a start of an erased conversation keeps no text, sealed or not.
     */
    private List<ConversationIndexRepository.TurnStart> opened(List<ConversationIndexRepository.TurnStart> starts) {
        Set<UUID> withText = new LinkedHashSet<>();
        for (ConversationIndexRepository.TurnStart start : starts) {
            if (start.userText() != null) {
                withText.add(start.conversationId());
            }
        }
        if (withText.isEmpty()) {
            return starts;
        }
        Map<UUID, ContentKey> current = keys.current(withText);
        Map<UUID, ContentOpener> openers = new HashMap<>();
        List<ConversationIndexRepository.TurnStart> opened = new ArrayList<>(starts.size());
        for (ConversationIndexRepository.TurnStart start : starts) {
            if (start.userText() == null) {
                opened.add(start);
                continue;
            }
            ContentOpener opener = openers.computeIfAbsent(start.conversationId(),
                    id -> ContentOpener.of(id, current.getOrDefault(id, ContentKey.NONE)));
            opened.add(new ConversationIndexRepository.TurnStart(start.conversationId(), start.turnId(),
                    start.turnIndex(), start.startedAt(), start.owner(), start.flowId(), start.flowVersion(),
                    opener.erased() ? null : opener.text(start.userText())));
        }
        return opened;
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
