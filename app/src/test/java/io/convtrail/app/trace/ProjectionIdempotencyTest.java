package io.convtrail.app.trace;

import io.convtrail.testsupport.store.EventStoreProbe;
import io.convtrail.app.LocalApi;
import io.convtrail.api.Stage;
import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.app.ScriptedConversation;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClient;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * At-least-once delivery: the audit, trace and conversation-index projections see a conversation's events a second time
 * (their tokens are moved back over rows they already wrote) and answer exactly as before.
 */
@ConvtrailIntegrationTest
class ProjectionIdempotencyTest {

    @LocalServerPort
    int port;

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

    RestClient http;

    @BeforeEach
    void client() {
        http = LocalApi.strict(port);
    }

    @Test
    void eventsDeliveredTwiceChangeNothing(@Autowired EventStoreProbe storeProbe) {
        ScriptedConversation c = new ScriptedConversation(commands)
                .turn("hello")
                .enter("AuditUserInputStep").stage(Stage.USER_INPUT, Map.of("text", "hello"))
                .exit("AuditUserInputStep", 1).verbose("Thinking.").flush()
                .enter("RulesStep").enter("McpToolStep").stage(Stage.MCP_TOOL_CALL, Map.of("tool", "t"))
                .error("McpToolStep", 5, "timeout").stage(Stage.RULE_NO_MATCH, Map.of())
                .exit("RulesStep", 9)
                .complete("GREETING", "IDLE")
                .turn("again").enter("AuditUserInputStep").flush();
        String audit = awaitAudit(c);
        String trace = awaitTrace(c);
        String index = awaitIndex(c);
        long first = storeProbe.firstPosition(c.id(), null);
        long head = events.createHeadToken().position().orElseThrow();

        rewind("audit", first - 1);
        rewind("trace", first - 1);
        rewind("conversation-index", first - 1);
        awaitPosition("audit", head);
        awaitPosition("trace", head);
        awaitPosition("conversation-index", head);

        assertThat(get("/api/v1/conversation/audit/{id}", c.id())).isEqualTo(audit);
        assertThat(get("/api/v1/conversation/audit/{id}/trace", c.id())).isEqualTo(trace);
        assertThat(rows("audit_event", c.id())).isEqualTo(c.recorded() + 1);
        assertThat(rows("trace_stage", c.id())).isEqualTo(c.recorded());
        assertThat(rows("trace_step", c.id())).isEqualTo(4);
        assertThat(rows("trace_turn", c.id())).isEqualTo(2);
        assertThat(indexRow(c.id())).isEqualTo(index);
        assertThat(rows("conversation_index_turn", c.id())).isEqualTo(2);
        assertThat(rows("conversation_index_text", c.id())).isEqualTo(2);
    }

    private void rewind(String processorName, long position) {
        StreamingEventProcessor processor = processing.eventProcessor(processorName, StreamingEventProcessor.class)
                .orElseThrow();
        processor.shutdownAsync().join();
        try {
            transactions.executeInTransaction(() -> {
                for (int segment : tokens.fetchSegments(processorName)) {
                    tokens.fetchToken(processorName, segment); // claims the segment for this thread's node
                    tokens.storeToken(GapAwareTrackingToken.newInstance(position, Set.of()), processorName, segment);
                    tokens.releaseClaim(processorName, segment);
                }
            });
        } finally {
            processor.start();
        }
    }

    private void awaitPosition(String processorName, long head) {
        StreamingEventProcessor processor = processing.eventProcessor(processorName, StreamingEventProcessor.class)
                .orElseThrow();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            var statuses = processor.processingStatus().values();
            return statuses.size() == tokens.fetchSegments(processorName).length && statuses.stream()
                    .allMatch(s -> s.getCurrentPosition().orElse(-1) >= head && !s.isErrorState());
        });
    }

    /** The audit once every record is projected: the row count is checked first, then the answer read. */
    private String awaitAudit(ScriptedConversation c) {
        await().atMost(Duration.ofSeconds(20)).until(() -> rows("audit_event", c.id()) == c.recorded() + 1);
        return get("/api/v1/conversation/audit/{id}", c.id());
    }

    private String awaitTrace(ScriptedConversation c) {
        await().atMost(Duration.ofSeconds(20)).until(() -> rows("trace_stage", c.id()) == c.recorded()
                && get("/api/v1/conversation/audit/{id}/trace", c.id()).contains("\"status\":\"COMPLETED\""));
        return get("/api/v1/conversation/audit/{id}/trace", c.id());
    }

    /** The conversation's summary in the conversation index once both turns and the first's end are in it. */
    private String awaitIndex(ScriptedConversation c) {
        await().atMost(Duration.ofSeconds(20)).until(() -> indexRow(c.id()) != null
                && indexRow(c.id()).contains("\"turns\":2") && indexRow(c.id()).contains("\"last_intent\":\"GREETING\""));
        return indexRow(c.id());
    }

    private String indexRow(UUID conversationId) {
        return jdbc.sql("SELECT row_to_json(c)::text FROM conversation_index c WHERE conversation_id = ?")
                .param(conversationId).query(String.class).optional().orElse(null);
    }

    private long rows(String table, UUID conversationId) {
        return jdbc.sql("SELECT count(*) FROM " + table + " WHERE conversation_id = ?").param(conversationId)
                .query(Long.class).single();
    }

    private String get(String uri, UUID id) {
        return http.get().uri(uri, id).retrieve().body(String.class);
    }

}
