package io.convtrail.app.trace;

import io.convtrail.testsupport.store.EventStoreProbe;
import io.convtrail.api.Stage;
import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.app.ScriptedConversation;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The trace projection writes its rows and its token in one transaction: when an event cannot be
 * stored the whole batch rolls back, the token stays before that event, and the batch is applied
 * again, every row exactly once. A failure that does not repeat is not quarantined
 * ({@link PoisonEventTest} is about one that does). The failure is real: PostgreSQL refuses the row.
 */
@ConvtrailIntegrationTest
class ProjectionTransactionTest {

    private static final String MARKER = "refused-by-the-database";

    @Autowired
    CommandGateway commands;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    EventProcessingConfiguration processing;

    @AfterEach
    void dropTrigger() {
        jdbc.sql("DROP TRIGGER IF EXISTS refuse_marked_stage ON trace_stage").update();
        jdbc.sql("DROP FUNCTION IF EXISTS refuse_marked_stage()").update();
        jdbc.sql("DROP SEQUENCE IF EXISTS refused_attempts").update();
    }

    @Test
    void aBatchThatFailsOnceIsRolledBackAndAppliedAgainWhole(@Autowired EventStoreProbe storeProbe) {
        // a sequence is not transactional: it counts the attempts the rollbacks would hide
        jdbc.sql("CREATE SEQUENCE refused_attempts").update();
        jdbc.sql("""
                CREATE FUNCTION refuse_marked_stage() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.payload::text LIKE '%%%s%%' AND nextval('refused_attempts') = 1 THEN
                        RAISE EXCEPTION 'stage refused for the test';
                    END IF;
                    RETURN NEW;
                END $$""".formatted(MARKER)).update();
        jdbc.sql("""
                CREATE TRIGGER refuse_marked_stage BEFORE INSERT ON trace_stage
                FOR EACH ROW EXECUTE FUNCTION refuse_marked_stage()""").update();

        ScriptedConversation c = new ScriptedConversation(commands).turn("hello")
                .stage(Stage.RULE_MATCH, Map.of("note", MARKER))
                .enter("AuditUserInputStep").stage(Stage.USER_INPUT, Map.of("text", "hello"))
                .exit("AuditUserInputStep", 1)
                .complete("GREETING", "IDLE");
        long refused = storeProbe.firstPosition(c.id(), EventStoreProbe.STAGE);

        await().atMost(Duration.ofSeconds(60)).until(() -> rows("trace_stage", c.id()) == c.recorded());
        assertThat(attempts()).as("refused once, then applied").isEqualTo(2);
        assertThat(jdbc.sql("SELECT count(DISTINCT audit_id) FROM trace_stage WHERE conversation_id = ?")
                .param(c.id()).query(Long.class).single()).isEqualTo(c.recorded());
        assertThat(rows("trace_step", c.id())).isEqualTo(1);
        assertThat(jdbc.sql("SELECT count(*) FROM projection_quarantine WHERE conversation_id = ?")
                .param(c.id().toString()).query(Long.class).single()).as("nothing quarantined").isZero();
        assertThat(tokenIndexes("trace")).as("the trace segment that owns the conversation passed the event")
                .anyMatch(index -> index >= refused);
        await("the audit processor is not held up").atMost(Duration.ofSeconds(20))
                .until(() -> rows("audit_event", c.id()) == c.recorded());
    }

    /**
     * A failure PostgreSQL sees aborts the transaction by itself; an exception thrown in Java code
     * of a handler would be logged and skipped by Axon's default, committing the token past the event.
     */
    @Test
    void projectionErrorsArePropagatedNotSkipped() {
        for (String group : List.of("audit", "trace")) {
            assertThat(processing.listenerInvocationErrorHandler(group)).as(group)
                    .isInstanceOf(PropagatingErrorHandler.class);
        }
    }

    private long attempts() {
        return jdbc.sql("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM refused_attempts")
                .query(Long.class).single();
    }

    /**
     * The global index in each segment's stored token (a Jackson-serialized GapAwareTrackingToken);
     * -1 for a segment that has not yet committed a batch (no token: before the first event).
     */
    private List<Long> tokenIndexes(String processorName) {
        return jdbc.sql("SELECT COALESCE(convert_from(token, 'UTF8'), '') FROM tokenentry WHERE processorname = ?")
                .param(processorName).query(String.class).list().stream()
                .map(json -> json.isEmpty() ? -1L : Long.parseLong(json.replaceAll(".*\"index\":(\\d+).*", "$1")))
                .toList();
    }

    private long rows(String table, UUID conversationId) {
        return jdbc.sql("SELECT count(*) FROM " + table + " WHERE conversation_id = ?").param(conversationId)
                .query(Long.class).single();
    }
}
