package io.convtrail.app.operations;

import com.fasterxml.jackson.databind.JsonNode;
import io.convtrail.api.Stage;
import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.app.LocalApi;
import io.convtrail.app.ScriptedConversation;
import io.convtrail.query.audit.AuditProjection;
import io.convtrail.query.trace.TraceProjection;
import io.convtrail.testsupport.store.EventStoreProbe;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A rebuild writes its pages of replayed events through the projections' own writers, not event by
 * event through the processors' handlers and interceptors; a page that fails there is applied again
 * through them, which quarantine the event at fault as live processing does.
 */
@ConvtrailIntegrationTest
@Import(ReplayedPagesTest.SeenByInterceptors.class)
class ReplayedPagesTest {

    private static final String MARKER = "refused-by-the-direct-write";

    @LocalServerPort
    int port;

    @Autowired
    CommandGateway commands;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    EventStoreProbe store;

    @Autowired
    SeenByInterceptors seen;

    @AfterEach
    void dropTrigger() {
        jdbc.sql("DROP TRIGGER IF EXISTS refuse_direct ON audit_event").update();
        jdbc.sql("DROP FUNCTION IF EXISTS refuse_direct()").update();
        jdbc.sql("DROP TRIGGER IF EXISTS note_step_update ON trace_step").update();
        jdbc.sql("DROP FUNCTION IF EXISTS note_step_update()").update();
        jdbc.sql("DROP TABLE IF EXISTS updated_steps").update();
        jdbc.sql("DROP TRIGGER IF EXISTS note_step_insert ON trace_step").update();
        jdbc.sql("DROP FUNCTION IF EXISTS note_step_insert()").update();
        jdbc.sql("DROP TABLE IF EXISTS inserted_steps").update();
        LocalApi.client(port).post().uri("/actuator/projections").contentType(MediaType.APPLICATION_JSON)
                .body("{\"action\":\"retry-quarantined\"}").retrieve().toBodilessEntity();
    }

    @Test
    void replayedPagesPassNoHandlerInterceptor() {
        ScriptedConversation conversation = new ScriptedConversation(commands).turn("hello")
                .enter("AuditUserInputStep").stage(Stage.USER_INPUT, Map.of("text", "hello")).verbose("thinking")
                .exit("AuditUserInputStep", 1).complete("GREETING", "IDLE");
        caughtUp(store.head());
        seen.replayed.clear();

        rebuild();

        assertThat(seen.replayed).isEmpty();
        // its stages and its verbose message
        assertThat(rows("audit_event", conversation.id())).isEqualTo(conversation.recorded() + 1);
        assertThat(rows("trace_stage", conversation.id())).isPositive();
    }

    @Test
    void aStepOpenedAndClosedInOnePageIsWrittenClosedNotInsertedThenUpdated() {
        ScriptedConversation conversation = new ScriptedConversation(commands).turn("hello")
                .enter("AuditUserInputStep").stage(Stage.USER_INPUT, Map.of("text", "hello"))
                .exit("AuditUserInputStep", 7).complete("GREETING", "IDLE");
        caughtUp(store.head());
        jdbc.sql("CREATE TABLE updated_steps (step_id bigint, conversation_id uuid)").update();
        jdbc.sql("""
                CREATE FUNCTION note_step_update() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO updated_steps VALUES (NEW.step_id, NEW.conversation_id);
                    RETURN NEW;
                END $$""").update();
        jdbc.sql("CREATE TRIGGER note_step_update BEFORE UPDATE ON trace_step FOR EACH ROW "
                + "EXECUTE FUNCTION note_step_update()").update();

        rebuild();

        assertThat(jdbc.sql("SELECT count(*) FROM updated_steps WHERE conversation_id = ?").param(conversation.id())
                .query(Long.class).single()).isZero();
        assertThat(jdbc.sql("SELECT status || ' ' || duration_ms || ' ' || (ended_at IS NOT NULL) FROM trace_step "
                        + "WHERE conversation_id = ?").param(conversation.id()).query(String.class).list())
                .containsExactly("OK 7 true");
    }

    @Test
    void aRebuildCopiesItsStepsInWithTheValuesTheInsertGives() {
        ScriptedConversation conversation = new ScriptedConversation(commands).turn("hello")
                .enter("AuditUserInputStep").enter("RulesStep").stage(Stage.USER_INPUT, Map.of("text", "hello"))
                .exit("RulesStep", 3).exit("AuditUserInputStep", 7).enter("ResponseStep")
                .complete("GREETING", "IDLE");
        caughtUp(store.head());
        String live = steps(conversation.id());
        jdbc.sql("CREATE TABLE inserted_steps (step_id bigint, conversation_id uuid, statement text)").update();
        jdbc.sql("""
                CREATE FUNCTION note_step_insert() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO inserted_steps VALUES (NEW.step_id, NEW.conversation_id, split_part(current_query(), ' ', 1));
                    RETURN NEW;
                END $$""").update();
        jdbc.sql("CREATE TRIGGER note_step_insert BEFORE INSERT ON trace_step FOR EACH ROW "
                + "EXECUTE FUNCTION note_step_insert()").update();

        rebuild();

        assertThat(jdbc.sql("SELECT statement FROM inserted_steps WHERE conversation_id = ?").param(conversation.id())
                .query(String.class).list()).containsExactly("COPY", "COPY", "COPY");
        assertThat(steps(conversation.id())).isEqualTo(live);
    }

    private String steps(UUID conversationId) {
        return String.join("\n", jdbc.sql("""
                        SELECT concat_ws(' ', step_id, turn_id, step, step_class, source_file, status, started_at, ended_at,
                                         duration_ms, error)
                        FROM trace_step WHERE conversation_id = ? ORDER BY step_id""")
                .param(conversationId).query(String.class).list());
    }

    @Test
    void aPageThatFailsGoesThroughTheHandlersAndQuarantinesItsBadEvent() {
        ScriptedConversation conversation = new ScriptedConversation(commands).turn("hello")
                .stage(Stage.USER_INPUT, Map.of("text", "hello"))
                .stage(Stage.RULE_MATCH, Map.of("note", MARKER)).complete("GREETING", "IDLE");
        caughtUp(store.head());
        jdbc.sql("""
                CREATE FUNCTION refuse_direct() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.payload_json LIKE '%%%s%%' THEN
                        RAISE EXCEPTION 'row refused for the test';
                    END IF;
                    RETURN NEW;
                END $$""".formatted(MARKER)).update();
        jdbc.sql("CREATE TRIGGER refuse_direct BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION refuse_direct()")
                .update();
        seen.replayed.clear();

        rebuild();

        assertThat(seen.replayed).contains(AuditProjection.PROCESSING_GROUP).doesNotContain(TraceProjection.PROCESSING_GROUP);
        assertThat(rows("audit_event", conversation.id())).isEqualTo(conversation.recorded() - 1);
        assertThat(jdbc.sql("SELECT error FROM projection_quarantine WHERE processor = 'audit' AND conversation_id = ?")
                .param(conversation.id().toString()).query(String.class).list())
                .singleElement().asString().contains("row refused for the test");
    }

    private void rebuild() {
        long head = store.head();
        LocalApi.client(port).post().uri("/actuator/projections").contentType(MediaType.APPLICATION_JSON).body("{}")
                .retrieve().toBodilessEntity();
        caughtUp(head);
    }

    private long rows(String table, UUID conversation) {
        return jdbc.sql("SELECT count(*) FROM " + table + " WHERE conversation_id = ?").param(conversation)
                .query(Long.class).single();
    }

    private void caughtUp(long head) {
        await().atMost(Duration.ofSeconds(60)).until(this::status, s -> List.of("audit", "trace", "conversation-index")
                .stream().allMatch(name -> {
                    JsonNode p = s.get("projections").get(name);
                    return p.get("running").asBoolean() && !p.get("replaying").asBoolean()
                            && p.get("position").asLong(-1) >= head && p.get("lag").asLong(-1) == 0;
                }));
    }

    private JsonNode status() {
        return LocalApi.client(port).get().uri("/actuator/projections").retrieve().body(JsonNode.class);
    }

    /** Notes which projections' handler interceptors saw a replayed event. */
    @TestConfiguration
    static class SeenByInterceptors {

        final Set<String> replayed = ConcurrentHashMap.newKeySet();

        @Autowired
        void register(EventProcessingConfigurer processing) {
            for (String group : List.of(AuditProjection.PROCESSING_GROUP, TraceProjection.PROCESSING_GROUP)) {
                processing.registerHandlerInterceptor(group, configuration -> noting(group));
            }
        }

        private MessageHandlerInterceptor<EventMessage<?>> noting(String group) {
            return (unitOfWork, chain) -> {
                if (ReplayToken.isReplay(unitOfWork.getMessage())) {
                    replayed.add(group);
                }
                return chain.proceed();
            };
        }
    }
}
