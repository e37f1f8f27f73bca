package io.convtrail.query.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.api.RecordChain;
import io.convtrail.api.event.StageRecordedEvent;
import io.convtrail.api.event.TurnStartedEvent;
import io.convtrail.api.event.VerboseRecordedEvent;
import io.convtrail.api.export.ExportLine;
import io.convtrail.api.export.ExportVerifier;
import io.convtrail.api.privacy.ContentOpener;
import io.convtrail.api.privacy.ConversationKeys;
import io.convtrail.query.store.EventPositions;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * One export in progress. It remembers the flow of recent turns and the chain head of recent
 * conversations, bounded to {@value #REMEMBERED} of each, so a long export stays small; a turn or
 * conversation it has forgotten (or never saw, when the export resumes after a position) is looked up.
 */
final class ExportSession {

    static final int REMEMBERED = 10_000;

    private record Flow(String id, String hash) {
    }

    private final EventPositions events;
    private final Serializer serializer;
    private final ObjectMapper json;
    private final OutputStream out;
    private final Map<UUID, Flow> flows = bounded();
    private final Map<UUID, String> heads = bounded();
    private final Map<UUID, ContentOpener> openers = bounded();
    private final ConversationKeys keys;
    private long records;
    private Long lastPosition;

    ExportSession(EventPositions events, Serializer serializer, ObjectMapper json, ConversationKeys keys,
                  OutputStream out) {
        this.events = events;
        this.keys = keys;
        this.serializer = serializer;
        this.json = json;
        this.out = new BufferedOutputStream(out, 64 * 1024);
    }

    long records() {
        return records;
    }

    Long lastPosition() {
        return lastPosition;
    }

    String head(UUID conversationId) {
        return heads.getOrDefault(conversationId, RecordChain.GENESIS);
    }

    void row(ResultSet rs) throws SQLException {
        long position = rs.getLong(1);
        UUID conversationId = UUID.fromString(rs.getString(2));
        long aggregateSequence = rs.getLong(3);
        Object event = deserialize(rs.getString(4), rs.getString(5), rs.getBytes(6));
        ExportLine line = null;
        if (event instanceof TurnStartedEvent e) {
            flows.put(e.turnId(), new Flow(e.flowId(), e.flowHash()));
        } else if (event instanceof StageRecordedEvent e) {
            line = line(position, conversationId, aggregateSequence, e.sequence(), e.turnId(), e.stage().name(),
                    e.createdAt().toString(), e.payloadJson(), e.hash(), opener(conversationId).stagePayload(e.payloadJson()));
        } else if (event instanceof VerboseRecordedEvent e) {
            String stored = ExportVerifier.verbosePayload(e.verbose());
            line = line(position, conversationId, aggregateSequence, e.sequence(), e.turnId(), ExportLine.VERBOSE,
                    e.createdAt().toString(), stored, e.hash(), opener(conversationId).verbose(stored));
        }
        if (line != null) {
            write(line);
            heads.put(conversationId, line.hash());
            records++;
            lastPosition = position;
        }
    }

    private ExportLine line(long position, UUID conversationId, long aggregateSequence, long sequence, UUID turnId,
                            String stage, String createdAt, String payload, String hash, String readable) {
        Flow flow = turnId == null ? null : flow(conversationId, turnId);
        return new ExportLine(ExportLine.TYPE, position, conversationId, sequence, position, turnId, stage, createdAt,
                payload, hash, previousHash(conversationId, aggregateSequence, sequence),
                flow == null ? null : flow.id(), flow == null ? null : flow.hash(), tree(readable));
    }

    private ContentOpener opener(UUID conversationId) {
        return openers.computeIfAbsent(conversationId, id -> ContentOpener.of(id, keys.current(id)));
    }

    private com.fasterxml.jackson.databind.JsonNode tree(String readable) {
        try {
            return json.readTree(readable);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Flow flow(UUID conversationId, UUID turnId) {
        Flow known = flows.get(turnId);
        if (known != null) {
            return known;
        }
        events.turnStartsOf(conversationId, rs -> {
            if (deserialize(rs.getString(1), rs.getString(2), rs.getBytes(3)) instanceof TurnStartedEvent e) {
                flows.put(e.turnId(), new Flow(e.flowId(), e.flowHash()));
            }
        });
        return flows.get(turnId);
    }

    private String previousHash(UUID conversationId, long aggregateSequence, long sequence) {
        String known = heads.get(conversationId);
        if (known != null || sequence == 1) {
            return known != null ? known : RecordChain.GENESIS;
        }
        return events.recordBefore(conversationId, aggregateSequence, rs -> {
            if (!rs.next()) {
                return RecordChain.GENESIS;
            }
            Object event = deserialize(rs.getString(1), rs.getString(2), rs.getBytes(3));
            if (event instanceof StageRecordedEvent e) {
                return e.hash();
            }
            return event instanceof VerboseRecordedEvent e ? e.hash() : RecordChain.GENESIS;
        });
    }

    private Object deserialize(String type, String revision, byte[] payload) {
        return serializer.deserialize(new SimpleSerializedObject<>(payload, byte[].class, type, revision));
    }

    void write(Object line) {
        try {
            out.write(json.writeValueAsBytes(line));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void flush() throws IOException {
        out.flush();
    }

    private static <K, V> Map<K, V> bounded() {
        return new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > REMEMBERED;
            }
        };
    }
}
