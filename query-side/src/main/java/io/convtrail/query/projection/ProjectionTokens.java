package io.convtrail.query.projection;

import io.convtrail.api.event.StageRecordedEvent;
import io.convtrail.api.event.TurnAbandonedEvent;
import io.convtrail.api.event.TurnCompletedEvent;
import io.convtrail.api.event.TurnStartedEvent;
import io.convtrail.api.event.VerboseRecordedEvent;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.AbstractEventProcessor;
import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.MergedTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.eventhandling.async.SequencingPolicy;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How far a projection has got for a conversation, read from Axon's token table. A projection
 * commits its rows and its tokens in one transaction, so a committed token that covers an event
 * means that event's rows are committed too, whichever node applied it. Only the token of the
 * segment that owns the conversation counts: a segment stores its token past events it does not
 * own only after a second without events, and under steady load hardly at all. Read only: Axon's own
 * token store cannot fetch a token without claiming it.
 */
@Component
public class ProjectionTokens {

    private final JdbcClient jdbc;
    private final Serializer serializer;
    private final EventProcessingConfiguration processing;

    public ProjectionTokens(JdbcClient jdbc, Serializer serializer, EventProcessingConfiguration processing) {
        this.jdbc = jdbc;
        this.serializer = serializer;
        this.processing = processing;
    }

    /** The conversation's event types; a projection's tokens move past those it has no handler for only lazily. */
    private static final List<Class<?>> EVENT_TYPES = List.of(StageRecordedEvent.class, VerboseRecordedEvent.class,
            TurnStartedEvent.class, TurnCompletedEvent.class, TurnAbandonedEvent.class);

    private final Map<String, List<String>> ignoredTypes = new ConcurrentHashMap<>();

    private record StoredToken(int segment, byte[] data, String type) {
    }

    /** The stored token of the projection's segment that owns the conversation's events (the token may be null). */
    public record OwnerToken(int segment, TrackingToken token) {

        public boolean covers(long globalIndex) {
            return ProjectionTokens.covers(token, globalIndex);
        }
    }

    /** The committed token of the segment that owns the conversation; empty while the projection has no segments. */
    public Optional<OwnerToken> stored(String processor, UUID conversationId) {
        Map<Integer, StoredToken> tokens = jdbc.sql("""
                        SELECT segment, token, tokentype FROM tokenentry WHERE processorname = :name""")
                .param("name", processor)
                .query((rs, i) -> new StoredToken(rs.getInt(1), rs.getBytes(2), rs.getString(3)))
                .list().stream()
                .collect(Collectors.toMap(StoredToken::segment, Function.identity()));
        if (tokens.isEmpty()) {
            return Optional.empty();
        }
        int hash = sequenceHash(processor, conversationId);
        for (Segment segment : Segment.computeSegments(tokens.keySet().stream().mapToInt(Integer::intValue).toArray())) {
            if (segment.matches(hash)) {
                return Optional.of(new OwnerToken(segment.getSegmentId(), token(tokens.get(segment.getSegmentId()))));
            }
        }
        return Optional.empty();
    }

    /**
     * Where one segment of a projection stands by its committed token: the global index it has passed
     * ({@code -1}: nothing yet), whether it is replaying (a rebuild), and who claimed it when, as Axon's
     * token store last wrote it ({@code owner} null: unclaimed; a claim older than the claim timeout is
     * one its node no longer renews).
     */
    public record SegmentPosition(String processor, int segment, long position, boolean replaying, String owner,
                                  Instant claimedAt) {
    }

    /** Every segment of the given projections, in one query (a poller asks this many times a second). */
    public List<SegmentPosition> positions(Collection<String> processors) {
        return jdbc.sql("""
                        SELECT processorname, segment, token, tokentype, owner, timestamp FROM tokenentry
                        WHERE processorname IN (:names)""")
                .param("names", processors)
                .query((rs, i) -> position(rs.getString(1), rs.getInt(2),
                        token(new StoredToken(rs.getInt(2), rs.getBytes(3), rs.getString(4))),
                        rs.getString(5), rs.getString(6)))
                .list();
    }

    private static SegmentPosition position(String processor, int segment, TrackingToken token, String owner,
                                            String timestamp) {
        TrackingToken current = token instanceof ReplayToken replay ? replay.getCurrentToken() : token;
        long position = current == null ? -1L : current.position().orElse(-1L);
        Instant claimedAt = timestamp == null ? Instant.EPOCH : Instant.parse(timestamp);
        return new SegmentPosition(processor, segment, position, token instanceof ReplayToken, owner, claimedAt);
    }

    /** Who holds each segment of the projection: {@code tokenentry.owner} (the claiming node's name; null: unclaimed). */
    public Map<Integer, String> owners(String processor) {
        Map<Integer, String> owners = new java.util.TreeMap<>();
        jdbc.sql("SELECT segment, owner FROM tokenentry WHERE processorname = :name")
                .param("name", processor)
                .query(rs -> {
                    owners.put(rs.getInt(1), rs.getString(2));
                });
        return owners;
    }

    /**
     * The event types the projection has no handler for (payload type names as stored). A segment
     * stores its token past such an event only once it handles a later one or has been idle for a
     * second, so a reader waiting for one would wait for nothing: the conversation's head, for this
     * projection, is its newest event of any other type. An event type missing from the list is
     * waited for, never skipped.
     */
    public List<String> ignoredEventTypes(String processor) {
        return ignoredTypes.computeIfAbsent(processor, name -> {
            EventHandlerInvoker handlers = processing.eventProcessor(name, AbstractEventProcessor.class)
                    .orElseThrow(() -> new IllegalStateException("no event processor " + name))
                    .eventHandlerInvoker();
            return EVENT_TYPES.stream().filter(type -> !handlers.canHandleType(type)).map(Class::getName).toList();
        });
    }

    /** The hash Axon routes the conversation's events by: its sequencing policy's identifier, as the invoker hashes it. */
    private int sequenceHash(String processor, UUID conversationId) {
        SequencingPolicy<? super EventMessage<?>> policy = processing.sequencingPolicy(processor);
        EventMessage<?> probe = new GenericDomainEventMessage<>("Conversation", conversationId.toString(), 0L, "");
        return Objects.hashCode(Objects.requireNonNullElse(policy.getSequenceIdentifierFor(probe), probe.getIdentifier()));
    }

    /** Whether the token is past the event at {@code globalIndex} (null: before the first event). */
    public static boolean covers(TrackingToken token, long globalIndex) {
        // a replay covers what it has replayed so far: the rows are being written again
        TrackingToken current = token instanceof ReplayToken replay ? replay.getCurrentToken() : token;
        if (current == null) {
            return false;
        }
        // a segment being merged (SegmentBalancer) tracks both halves; a conversation is in either, so both must pass
        if (current instanceof MergedTrackingToken merged) {
            return covers(merged.lowerSegmentToken(), globalIndex) && covers(merged.upperSegmentToken(), globalIndex);
        }
        return WrappedToken.unwrap(current, GapAwareTrackingToken.class)
                .map(gapAware -> gapAware.getIndex() >= globalIndex && !gapAware.getGaps().contains(globalIndex))
                .orElseGet(() -> current.position().orElse(-1L) >= globalIndex);
    }

    private TrackingToken token(StoredToken stored) {
        if (stored.data() == null || stored.type() == null) {
            return null;
        }
        return serializer.deserialize(new SimpleSerializedObject<>(stored.data(), byte[].class, stored.type(), null));
    }
}
