package io.convtrail.query.integrity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.api.RecordChain;
import io.convtrail.api.Stage;
import io.convtrail.api.event.StageRecordedEvent;
import io.convtrail.api.event.VerboseMessage;
import io.convtrail.api.event.VerboseRecordedEvent;
import io.convtrail.api.query.VerifyConversationChainQuery;
import io.convtrail.api.rest.ChainVerification;
import io.convtrail.api.stream.StreamKind;
import io.convtrail.query.audit.AuditRepository;
import io.convtrail.query.audit.AuditRepository.ChainRow;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Checks that a conversation's record is what the engine wrote. It walks the conversation's events
 * in the event store from the first (never from a snapshot), recomputes every record's hash from its
 * content and its predecessor's hash, and checks that the sequence has no gap. It then recomputes
 * the same hashes from the raw-audit read model's rows, so an edited audit row is caught too.
 * Anyone with write access could recompute the whole chain after an edit; the head hash, noted by
 * an auditor, is what makes that visible.
 */
@Component
public class ChainVerifier {

    private final EventStore events;
    private final AuditRepository audit;
    private final ObjectMapper json;

    public ChainVerifier(EventStore events, AuditRepository audit, ObjectMapper json) {
        this.events = events;
        this.audit = audit;
        this.json = json;
    }

    /** A record of the chain: the hash it carries and the hash its content and predecessor give. */
    private record Link(long sequence, String storedHash, String computedHash) {
    }

    /** Null when the conversation has no events. */
    @QueryHandler
    public ChainVerification handle(VerifyConversationChainQuery query) {
        UUID id = query.conversationId();
        DomainEventStream stream = events.readEvents(id.toString(), 0);
        if (!stream.hasNext()) {
            return null;
        }
        Map<Long, ChainRow> readModel = readModel(id);
        String previous = RecordChain.GENESIS;
        long records = 0;
        while (stream.hasNext()) {
            Link link = link(stream.next(), previous);
            if (link == null) {
                continue;
            }
            String problem = problem(link, records + 1, previous, readModel.get(link.sequence()));
            if (problem != null) {
                return new ChainVerification(id, records, false, records, previous, records + 1, problem);
            }
            previous = link.storedHash();
            records++;
        }
        if (readModel.size() > records) {
            return new ChainVerification(id, records, false, records, previous, records + 1,
                    "the read model holds " + readModel.size() + " records, the event store " + records);
        }
        return new ChainVerification(id, records, true, records, previous, null, null);
    }

    /** Null when the link is sound; otherwise what is wrong with it. */
    private String problem(Link link, long expected, String previous, ChainRow row) {
        if (link.sequence() != expected) {
            return "record " + expected + " is missing (found " + link.sequence() + ")";
        }
        if (!link.storedHash().equals(link.computedHash())) {
            return "the event store's record does not match its hash";
        }
        if (row != null && !link.storedHash().equals(hashOf(row, previous))) {
            return "the raw audit's row differs from the event store's record";
        }
        return null;
    }

    /** Null for events that are not records (turn start and end). */
    private static Link link(DomainEventMessage<?> message, String previous) {
        Object payload = message.getPayload();
        if (payload instanceof StageRecordedEvent e) {
            return new Link(e.sequence(), e.hash(),
                    RecordChain.stageHash(previous, e.sequence(), e.stage(), e.payloadJson(), e.createdAt()));
        }
        if (payload instanceof VerboseRecordedEvent e) {
            return new Link(e.sequence(), e.hash(),
                    RecordChain.verboseHash(previous, e.sequence(), e.verbose(), e.createdAt()));
        }
        return null;
    }

    private String hashOf(ChainRow row, String previous) {
        if (row.kind() == StreamKind.VERBOSE) {
            try {
                VerboseMessage verbose = json.readValue(row.payloadJson(), VerboseMessage.class);
                return RecordChain.verboseHash(previous, row.sequence(), verbose, row.createdAt());
            } catch (JsonProcessingException e) {
                return "unreadable";
            }
        }
        try {
            return RecordChain.stageHash(previous, row.sequence(), Stage.valueOf(row.stage()), row.payloadJson(),
                    row.createdAt());
        } catch (IllegalArgumentException e) {
            return "unknown stage";
        }
    }

    private Map<Long, ChainRow> readModel(UUID id) {
        return audit.chainRows(id).stream().collect(Collectors.toMap(ChainRow::sequence, Function.identity()));
    }
}
