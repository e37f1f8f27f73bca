package io.convtrail.app.node;

import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.app.LocalApi;
import io.convtrail.app.ScriptedConversation;
import io.convtrail.query.projection.ProjectionTokens;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A database made when audit had 4 segments (the earlier default) is merged down to the configured 2 by
 * the query node holding them ({@link SegmentBalancer}), while it runs: the halves of a pair may stand at
 * different positions, and the merged segment handles what the lagging half had not handled yet, so the
 * read model ends as it would have without the merge, and later turns are projected as usual.
 */
@ConvtrailIntegrationTest
class SegmentMergeTest {

    private static final String AUDIT = "audit";

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
    ProjectionTokens projectionTokens;

    @Autowired
    JdbcClient jdbc;

    @Test
    void fourSegmentsOfAnExistingDatabaseAreMergedToTheConfiguredTwo() {
        RestClient http = LocalApi.strict(port);
        List<ScriptedConversation> before = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            before.add(ScriptedConversation.greeting(commands));
        }
        long head = events.createHeadToken().position().orElseThrow();
        StreamingEventProcessor audit = processing.eventProcessor(AUDIT, StreamingEventProcessor.class).orElseThrow();
        await().atMost(Duration.ofSeconds(30)).until(() -> audit.processingStatus().values().stream()
                .allMatch(status -> status.getCurrentPosition().orElse(-1) >= head));
        Map<UUID, Long> counts = new HashMap<>();
        Map<UUID, String> audits = new HashMap<>();
        for (ScriptedConversation c : before) {
            counts.put(c.id(), rows(c.id()));
            audits.put(c.id(), http.get().uri("/api/v1/conversation/audit/{id}", c.id()).retrieve().body(String.class));
        }
        assertThat(counts.values()).allMatch(count -> count > 0);
        long first = jdbc.sql("SELECT min(globalindex) FROM domainevententry WHERE aggregateidentifier IN (:ids)")
                .param("ids", before.stream().map(c -> c.id().toString()).toList()).query(Long.class).single();

        // the token table as an earlier default made it: 4 segments; the upper half of each pair behind
        audit.shutDown();
        try {
            transactions.executeInTransaction(() -> {
                for (int segment : tokens.fetchSegments(AUDIT)) {
                    tokens.fetchToken(AUDIT, segment);
                    tokens.deleteToken(AUDIT, segment);
                }
                tokens.initializeTokenSegments(AUDIT, 4, GapAwareTrackingToken.newInstance(head, Set.of()));
                for (int segment : List.of(2, 3)) {
                    tokens.fetchToken(AUDIT, segment);
                    tokens.storeToken(GapAwareTrackingToken.newInstance(first - 1, Set.of()), AUDIT, segment);
                    tokens.releaseClaim(AUDIT, segment);
                }
            });
            // a conversation of the lagging halves loses its rows: only the merged segment can write them again
            ScriptedConversation lagging = before.stream()
                    .filter(c -> projectionTokens.stored(AUDIT, c.id()).orElseThrow().segment() >= 2)
                    .findFirst().orElseThrow(() -> new AssertionError("no conversation in segments 2 and 3"));
            jdbc.sql("DELETE FROM audit_event WHERE conversation_id = ?").param(lagging.id()).update();
        } finally {
            audit.start();
        }

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(tokens.fetchSegments(AUDIT)).containsExactly(0, 1);
            assertThat(audit.processingStatus()).hasSize(2);
        });
        assertThat(audit.processingStatus().values()).noneMatch(status -> status.isErrorState());
        ScriptedConversation after = ScriptedConversation.greeting(commands);
        await().atMost(Duration.ofSeconds(20)).until(() -> rows(after.id()) == counts.get(before.get(0).id()));
        for (ScriptedConversation c : before) {
            await().atMost(Duration.ofSeconds(20)).until(() -> rows(c.id()) == counts.get(c.id()));
            assertThat(http.get().uri("/api/v1/conversation/audit/{id}", c.id()).retrieve().body(String.class))
                    .as("audit of %s", c.id()).isEqualTo(audits.get(c.id()));
        }
    }

    private long rows(UUID conversationId) {
        return jdbc.sql("SELECT count(*) FROM audit_event WHERE conversation_id = ?").param(conversationId)
                .query(Long.class).single();
    }
}
