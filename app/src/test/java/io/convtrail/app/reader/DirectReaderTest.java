package io.convtrail.app.reader;

import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.app.ScriptedConversation;
import io.convtrail.app.runner.TurnRunnerRegistry;
import io.convtrail.query.projection.ProjectionTokens;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The direct reader ({@code convtrail.read-side.reader=direct}): one thread per projection reads the store
 * for every segment the node holds and commits their tokens together, and its claims are Axon's, so a
 * segment another node holds (a tracking processor's claim looks the same) is left alone until that claim
 * lapses, then taken over. The claim timeout is short here so the takeover comes within the test.
 */
@ConvtrailIntegrationTest
@TestPropertySource(properties = {"convtrail.read-side.reader=direct",
        "axon.eventhandling.tokenstore.claim-timeout=3s",
        "axon.eventhandling.processors.audit.token-claim-interval=300"})
class DirectReaderTest {

    private static final String AUDIT = "audit";

    @Autowired
    CommandGateway commands;

    @Autowired
    EventProcessingConfiguration processing;

    @Autowired
    EventStore events;

    @Autowired
    ProjectionTokens tokens;

    @Autowired
    TurnRunnerRegistry runner;

    @Autowired
    JdbcClient jdbc;

    @Test
    void oneThreadReadsForBothSegmentsOfAProjectionAndCommitsTheirTokensTogether() {
        List<ScriptedConversation> conversations = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            conversations.add(ScriptedConversation.greeting(commands));
        }
        long head = events.createHeadToken().position().orElseThrow();
        StreamingEventProcessor audit = audit();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(audit.processingStatus()).containsOnlyKeys(0, 1);
            assertThat(audit.processingStatus().values())
                    .allMatch(status -> status.getCurrentPosition().orElse(-1) >= head);
        });
        for (ScriptedConversation c : conversations) {
            assertThat(rows(c.id())).as("rows of %s", c.id()).isPositive();
        }
        assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.contains("[" + AUDIT + "]")))
                .as("threads reading for audit").containsExactly("DirectReader[" + AUDIT + "]");
        // rows written in one transaction carry its id: both segments' tokens were stored by the same batch
        assertThat(jdbc.sql("SELECT count(DISTINCT xmin::text) FROM tokenentry WHERE processorname = ?")
                .param(AUDIT).query(Long.class).single()).as("transactions that last stored audit's tokens")
                .isEqualTo(1);
    }

    @Test
    void aSegmentAnotherNodeHoldsIsLeftToItUntilItsClaimLapsesThenTakenOver() {
        StreamingEventProcessor audit = audit();
        await().atMost(Duration.ofSeconds(30)).until(() -> audit.processingStatus().size() == 2);
        audit.shutdownAsync().join();
        List<ScriptedConversation> conversations = new ArrayList<>();
        try {
            // another node's live claim on segment 1, as its processor (Axon's or this one) writes it
            jdbc.sql("UPDATE tokenentry SET owner = 'other-node', timestamp = ? WHERE processorname = ? AND segment = 1")
                    .params(Instant.now().plusSeconds(15).toString(), AUDIT).update();
            for (int i = 0; i < 8; i++) {
                conversations.add(ScriptedConversation.greeting(commands));
            }
        } finally {
            audit.start();
        }
        ScriptedConversation own = inSegment(conversations, 0);
        ScriptedConversation others = inSegment(conversations, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> rows(own.id()) > 0);
        assertThat(audit.processingStatus()).containsOnlyKeys(0);
        assertThat(tokens.owners(AUDIT)).containsEntry(1, "other-node");
        assertThat(rows(others.id())).as("rows of a conversation in the other node's segment").isZero();

        await().atMost(Duration.ofSeconds(60)).until(() -> rows(others.id()) > 0);
        assertThat(tokens.owners(AUDIT)).isEqualTo(Map.of(0, runner.nodeName(), 1, runner.nodeName()));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(audit.processingStatus()).containsOnlyKeys(0, 1));
    }

    private StreamingEventProcessor audit() {
        EventProcessor processor = processing.eventProcessor(AUDIT).orElseThrow();
        assertThat(processor).isInstanceOf(DirectReader.class);
        return (StreamingEventProcessor) processor;
    }

    private ScriptedConversation inSegment(List<ScriptedConversation> conversations, int segment) {
        return conversations.stream()
                .filter(c -> tokens.stored(AUDIT, c.id()).orElseThrow().segment() == segment)
                .findFirst().orElseThrow(() -> new AssertionError("no conversation in segment " + segment));
    }

    private long rows(UUID conversationId) {
        return jdbc.sql("SELECT count(*) FROM audit_event WHERE conversation_id = ?").param(conversationId)
                .query(Long.class).single();
    }
}
