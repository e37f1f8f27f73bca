package io.convtrail.app.projection;

import io.convtrail.api.Stage;
import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.app.ScriptedConversation;
import io.convtrail.app.reader.DirectReader;
import io.convtrail.query.projection.ProjectionQuarantine;
import io.convtrail.query.projection.QuarantineRetry;
import io.convtrail.query.store.PositionedEvents;
import io.convtrail.testsupport.store.EventStoreProbe;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.AbstractEventProcessor;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The projections write a processor batch at once (events of many conversations, interleaved) and
 * take each event's global index from the stream: the rows are exactly those that applying the
 * same events one at a time writes, a replay (into empty rows or over the rows already there)
 * writes them again unchanged (also a replay after a reset, which copies its batches in, over rows
 * already there), every auditId is its event's global index in the event store, and a
 * row PostgreSQL refuses inside a batch quarantines its event alone while the rest of the batch is stored.
 * The index is stamped on the events by the processors' source ({@link PositionedEvents}), not looked up.
 */
@ConvtrailIntegrationTest
class BatchedProjectionTest {

    private static final List<String> PROCESSORS = List.of("audit", "trace", "conversation-index");
    /** Each read-model table and the order its rows are compared in. */
    private static final Map<String, String> TABLES = tables();
    private static final String MARKER = "refused-inside-a-batch";

    @Autowired
    CommandGateway commands;

    @Autowired
    EventProcessingConfiguration processing;

    @Autowired
    TokenStore tokens;

    @Autowired
    TransactionManager transactions;

    @Autowired
    EventStore events;

    @Autowired
    JdbcClient jdbc;

    @AfterEach
    void dropTrigger() {
        jdbc.sql("DROP TRIGGER IF EXISTS refuse_in_batch ON audit_event").update();
        jdbc.sql("DROP FUNCTION IF EXISTS refuse_in_batch()").update();
    }

    @Test
    void batchesWriteTheRowsOfPerEventProcessingAndReplaysWriteThemAgain(@Autowired EventStoreProbe store,
                                                                         @Autowired ProjectionQuarantine quarantine)
            throws Exception {
        List<ScriptedConversation> conversations = recordConcurrently(6);
        List<UUID> ids = conversations.stream().map(ScriptedConversation::id).toList();
        awaitHead();
        Map<String, String> batched = snapshot(ids);
        assertThat(batched.get("audit_event")).contains(ids.get(5).toString());

        assertThat(unmatched("audit_event", ids, "StageRecordedEvent", "VerboseRecordedEvent"))
                .as("audit rows whose auditId is not a record's global index").isZero();
        assertThat(unmatched("audit_turn_boundary", ids, "TurnStartedEvent", "TurnCompletedEvent"))
                .as("boundaries whose auditId is not a turn event's global index").isZero();
        assertThat(unmatched("trace_stage", ids, "StageRecordedEvent")).isZero();
        long records = conversations.stream().mapToLong(c -> store.records(c.id())).sum();
        assertThat(count("audit_event", ids)).isEqualTo(records);

        delete(ids);
        applyOneByOne(ids);
        assertThat(snapshot(ids)).as("applied one event at a time").isEqualTo(batched);

        delete(ids);
        long first = ids.stream().mapToLong(id -> store.firstPosition(id, null)).min().orElseThrow();
        rewindAll(first - 1);
        assertThat(snapshot(ids)).as("replayed into empty rows").isEqualTo(batched);

        rewindAll(first - 1);
        assertThat(snapshot(ids)).as("replayed over the rows already there").isEqualTo(batched);

        // a replay after a reset copies its batches in; over rows already there the copy fails and the batch is
        // written again event by event, skipping them, with nothing quarantined
        Map<String, Long> quarantined = quarantine.counts();
        delete(ids);
        replayAll(first - 1);
        assertThat(snapshot(ids)).as("replayed after a reset, into empty rows").isEqualTo(batched);
        replayAll(first - 1);
        assertThat(snapshot(ids)).as("replayed after a reset, over the rows already there").isEqualTo(batched);
        assertThat(quarantine.counts()).as("quarantined events").isEqualTo(quarantined);
    }

    @Test
    void theProjectionsReadEventsStampedWithTheirOwnGlobalIndex(@Autowired PositionedEvents positioned)
            throws Exception {
        for (String name : PROCESSORS) {
            Object processor = processing.eventProcessor(name).orElseThrow();
            assertThat(processor instanceof DirectReader reader ? reader.getMessageSource()
                    : ((TrackingEventProcessor) processor).getMessageSource())
                    .as("the source of %s", name).isSameAs(positioned);
        }
        scripted("stamped");
        int checked = 0;
        try (BlockingStream<TrackedEventMessage<?>> stream = positioned.openStream(null)) {
            while (checked < 300 && stream.hasNextAvailable(1, TimeUnit.SECONDS)) {
                TrackedEventMessage<?> event = stream.nextAvailable();
                // stored history has no late commits: every event is stamped, with its own index
                assertThat(event.getMetaData().get(PositionedEvents.GLOBAL_INDEX)).as("event %s", event.getIdentifier())
                        .isEqualTo(jdbc.sql("SELECT globalindex FROM domainevententry WHERE eventidentifier = ?")
                                .param(event.getIdentifier()).query(Long.class).single());
                checked++;
            }
        }
        assertThat(checked).isPositive();
    }

    @Test
    void aRowRefusedInsideABatchQuarantinesItsEventAloneAndTheRestIsStored(@Autowired EventStoreProbe store,
                                                                          @Autowired ProjectionQuarantine quarantine,
                                                                          @Autowired QuarantineRetry retry) {
        jdbc.sql("""
                CREATE FUNCTION refuse_in_batch() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.payload_json LIKE '%%%s%%' THEN
                        RAISE EXCEPTION 'record refused for the test';
                    END IF;
                    RETURN NEW;
                END $$""".formatted(MARKER)).update();
        jdbc.sql("CREATE TRIGGER refuse_in_batch BEFORE INSERT ON audit_event FOR EACH ROW "
                + "EXECUTE FUNCTION refuse_in_batch()").update();
        StreamingEventProcessor audit = processor("audit");
        List<ScriptedConversation> conversations = new ArrayList<>();
        audit.shutdownAsync().join();
        ScriptedConversation poisoned;
        try {
            // recorded while the processor is stopped, so that they reach it as one batch
            conversations.add(scripted("before"));
            poisoned = new ScriptedConversation(commands).turn("hello")
                    .enter("AuditUserInputStep").stage(Stage.USER_INPUT, Map.of("text", "hello"))
                    .stage(Stage.RULE_MATCH, Map.of("note", MARKER))
                    .exit("AuditUserInputStep", 1)
                    .complete("GREETING", "IDLE");
            conversations.add(poisoned);
            conversations.add(scripted("after"));
        } finally {
            audit.start();
        }
        String eventId = store.eventIdContaining(poisoned.id(), MARKER);
        awaitHead();

        assertThat(quarantine.of("audit")).singleElement()
                .satisfies(held -> assertThat(held.eventId()).isEqualTo(eventId));
        for (ScriptedConversation c : conversations) {
            long expected = store.records(c.id()) - (c == poisoned ? 1 : 0);
            assertThat(count("audit_event", List.of(c.id()))).as("records of %s", c.id()).isEqualTo(expected);
            assertThat(count("audit_turn_boundary", List.of(c.id())))
                    .isEqualTo(store.events(c.id(), EventStoreProbe.TURN_STARTED)
                            + store.events(c.id(), "io.convtrail.api.event.TurnCompletedEvent"));
        }

        dropTrigger();
        assertThat(retry.retry("audit").applied()).isEqualTo(1);
        assertThat(count("audit_event", List.of(poisoned.id()))).isEqualTo(store.records(poisoned.id()));
    }

    private ScriptedConversation scripted(String text) {
        return new ScriptedConversation(commands).turn(text)
                .enter("AuditUserInputStep").stage(Stage.USER_INPUT, Map.of("text", text))
                .exit("AuditUserInputStep", 1).verbose("Thinking.").flush()
                .enter("RulesStep").enter("McpToolStep").stage(Stage.MCP_TOOL_CALL, Map.of("tool", "t"))
                .error("McpToolStep", 5, "timeout").stage(Stage.RULE_NO_MATCH, Map.of())
                .exit("RulesStep", 9)
                .complete("GREETING", "IDLE")
                .turn(text + " again").enter("AuditUserInputStep").stage(Stage.USER_INPUT, Map.of("text", text))
                .flush();
    }

    /** Conversations recorded by three threads at once, so that their events interleave in the store. */
    private List<ScriptedConversation> recordConcurrently(int count) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            List<CompletableFuture<ScriptedConversation>> recorded = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String text = "conversation " + i;
                recorded.add(CompletableFuture.supplyAsync(() -> scripted(text), threads));
            }
            List<ScriptedConversation> conversations = new ArrayList<>();
            for (CompletableFuture<ScriptedConversation> c : recorded) {
                conversations.add(c.get());
            }
            return conversations;
        } finally {
            threads.shutdown();
        }
    }

    /** Rows of {@code table} whose auditId is not the global index of one of its conversation's events of those types. */
    private long unmatched(String table, List<UUID> ids, String... eventTypes) {
        String[] types = java.util.Arrays.stream(eventTypes).map(type -> "io.convtrail.api.event." + type)
                .toArray(String[]::new);
        return jdbc.sql("SELECT count(*) FROM " + table + " r WHERE r.conversation_id = ANY (CAST(? AS uuid[])) "
                        + "AND NOT EXISTS (SELECT 1 FROM domainevententry d WHERE d.globalindex = r.audit_id "
                        + "AND d.aggregateidentifier = r.conversation_id::text "
                        + "AND d.payloadtype = ANY (CAST(? AS text[])))")
                .params(ids.toArray(new UUID[0]), types).query(Long.class).single();
    }

    /** Each processor's handlers given the conversations' events one at a time, outside any batch. */
    private void applyOneByOne(List<UUID> ids) throws Exception {
        for (String name : PROCESSORS) {
            EventHandlerInvoker handlers = processing.eventProcessor(name, AbstractEventProcessor.class)
                    .orElseThrow().eventHandlerInvoker();
            for (UUID id : ids) {
                DomainEventStream stream = events.readEvents(id.toString());
                while (stream.hasNext()) {
                    DomainEventMessage<?> event = stream.next();
                    if (handlers.canHandle(event, Segment.ROOT_SEGMENT)) {
                        handlers.handle(event, Segment.ROOT_SEGMENT);
                    }
                }
            }
        }
    }

    private void rewindAll(long position) {
        moveAll(reached -> GapAwareTrackingToken.newInstance(position, Set.of()));
    }

    /** As a reset does, without emptying the tables: each segment replays from {@code position} to where it was. */
    private void replayAll(long position) {
        moveAll(reached -> ReplayToken.createReplayToken(reached, GapAwareTrackingToken.newInstance(position, Set.of())));
    }

    /** Gives every segment of every projection the token {@code moved} makes of the one it reached, and waits. */
    private void moveAll(UnaryOperator<TrackingToken> moved) {
        for (String name : PROCESSORS) {
            StreamingEventProcessor processor = processor(name);
            processor.shutdownAsync().join();
            try {
                transactions.executeInTransaction(() -> {
                    for (int segment : tokens.fetchSegments(name)) {
                        tokens.storeToken(moved.apply(tokens.fetchToken(name, segment)), name, segment);
                        tokens.releaseClaim(name, segment);
                    }
                });
            } finally {
                processor.start();
            }
        }
        awaitHead();
    }

    private void awaitHead() {
        long head = events.createHeadToken().position().orElseThrow();
        for (String name : PROCESSORS) {
            StreamingEventProcessor processor = processor(name);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                var statuses = processor.processingStatus().values();
                return statuses.size() == tokens.fetchSegments(name).length && statuses.stream()
                        .allMatch(s -> s.getCurrentPosition().orElse(-1) >= head && !s.isErrorState());
            });
        }
    }

    private StreamingEventProcessor processor(String name) {
        return processing.eventProcessor(name, StreamingEventProcessor.class).orElseThrow();
    }

    private Map<String, String> snapshot(List<UUID> ids) {
        Map<String, String> rows = new LinkedHashMap<>();
        TABLES.forEach((table, order) -> rows.put(table, jdbc.sql("SELECT COALESCE(json_agg(t ORDER BY " + order
                        + ")::text, '[]') FROM " + table + " t WHERE conversation_id = ANY (CAST(? AS uuid[]))")
                .param(ids.toArray(new UUID[0])).query(String.class).single()));
        return rows;
    }

    private void delete(List<UUID> ids) {
        TABLES.keySet().forEach(table -> jdbc.sql("DELETE FROM " + table
                + " WHERE conversation_id = ANY (CAST(? AS uuid[]))").param(ids.toArray(new UUID[0])).update());
    }

    private long count(String table, List<UUID> ids) {
        return jdbc.sql("SELECT count(*) FROM " + table + " WHERE conversation_id = ANY (CAST(? AS uuid[]))")
                .param(ids.toArray(new UUID[0])).query(Long.class).single();
    }

    private static Map<String, String> tables() {
        Map<String, String> tables = new LinkedHashMap<>();
        tables.put("audit_event", "audit_id");
        tables.put("audit_turn_boundary", "audit_id");
        tables.put("trace_turn", "turn_id");
        tables.put("trace_step", "step_id");
        tables.put("trace_stage", "audit_id");
        tables.put("conversation_index", "conversation_id");
        tables.put("conversation_index_turn", "turn_id");
        tables.put("conversation_index_text", "turn_id");
        return tables;
    }
}
