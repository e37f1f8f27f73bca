package io.convtrail.app.foundation;

import io.convtrail.testsupport.store.EventStoreProbe;
import io.convtrail.app.LocalApi;
import io.convtrail.app.ConvtrailIntegrationTest;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClient;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The wiring end to end on real PostgreSQL: a posted message becomes commands and events in the
 * JDBC event store, the audit processor projects them with its token in the same database, and
 * the audit GET returns them.
 */
@ConvtrailIntegrationTest
class VerticalSliceTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Test
    void postedMessageIsStoredProjectedAndReturnedByTheAuditEndpoint(@Autowired EventStoreProbe storeProbe) {
        RestClient http = LocalApi.strict(port);
        UUID conversationId = UUID.randomUUID();

        JsonNode answer = http.post().uri("/api/v1/conversation/message").contentType(MediaType.APPLICATION_JSON)
                .body("{\"conversationId\":\"" + conversationId + "\",\"message\":\"hello\"}")
                .retrieve().body(JsonNode.class);
        assertThat(answer.get("success").asBoolean()).isTrue();
        assertThat(answer.get("conversationId").asText()).isEqualTo(conversationId.toString());

        long stored = storeProbe.events(conversationId);
        assertThat(stored).as("events in the JDBC event store").isGreaterThanOrEqualTo(3);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode audit = http.get().uri("/api/v1/conversation/audit/{id}", conversationId)
                    .retrieve().body(JsonNode.class);
            assertThat(audit).isNotEmpty();
            assertThat(audit.findValuesAsText("stage")).contains("USER_INPUT");
            assertThat(audit.findValuesAsText("payloadJson")).anySatisfy(
                    payload -> assertThat(payload).contains("\"text\":\"hello\""));
        });

        Long tokens = jdbc.sql("SELECT count(*) FROM tokenentry WHERE processorname = 'audit' AND token IS NOT NULL")
                .query(Long.class).single();
        assertThat(tokens).as("the audit processor's token is stored in PostgreSQL").isPositive();
    }
}
