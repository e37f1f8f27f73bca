package io.convtrail.app.integrity;

import io.convtrail.testsupport.store.EventStoreProbe;
import io.convtrail.app.LocalApi;
import com.fasterxml.jackson.databind.JsonNode;
import io.convtrail.app.ConvtrailIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClient;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Tamper evidence as an auditor uses it: an intact record verifies; an edited row is found and named. */
@ConvtrailIntegrationTest
class ChainVerificationTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Test
    void anUntouchedConversationVerifiesAndAnEditedAuditRowIsCaught(@Autowired EventStoreProbe storeProbe) {
        RestClient http = LocalApi.strict(port);
        UUID id = UUID.randomUUID();
        for (String message : new String[]{"hello", "what are your rates?"}) {
            http.post().uri("/api/v1/conversation/message").contentType(MediaType.APPLICATION_JSON)
                    .body("{\"conversationId\":\"" + id + "\",\"message\":\"" + message + "\"}")
                    .retrieve().toBodilessEntity();
        }
        long stored = storeProbe.events(id);
        await().atMost(Duration.ofSeconds(20)).until(() -> verify(http, id).get("records").asLong()
                == jdbc.sql("SELECT count(*) FROM audit_event WHERE conversation_id = ?").param(id)
                .query(Long.class).single() && stored - 4 == verify(http, id).get("records").asLong());

        JsonNode intact = verify(http, id);
        assertThat(intact.get("intact").asBoolean()).isTrue();
        assertThat(intact.get("headHash").asText()).hasSize(64);
        assertThat(intact.get("brokenAtSequence").isNull()).isTrue();

        long edited = jdbc.sql("SELECT seq FROM audit_event WHERE conversation_id = ? AND stage = 'USER_INPUT' "
                + "ORDER BY seq LIMIT 1").param(id).query(Long.class).single();
        // the user's text is stored sealed; the edit changes what is stored beside it
        assertThat(jdbc.sql("UPDATE audit_event SET payload_json = replace(payload_json, '\"reset\":false', "
                + "'\"reset\":true') WHERE conversation_id = ? AND seq = ?").param(id).param(edited).update()).isOne();

        JsonNode broken = verify(http, id);
        assertThat(broken.get("intact").asBoolean()).isFalse();
        assertThat(broken.get("brokenAtSequence").asLong()).isEqualTo(edited);
        assertThat(broken.get("problem").asText()).contains("raw audit");
    }

    @Test
    void anEditedEventInTheStoreIsCaught(@Autowired EventStoreProbe storeProbe) {
        RestClient http = LocalApi.strict(port);
        UUID id = UUID.randomUUID();
        http.post().uri("/api/v1/conversation/message").contentType(MediaType.APPLICATION_JSON)
                .body("{\"conversationId\":\"" + id + "\",\"message\":\"hello there\"}")
                .retrieve().toBodilessEntity();
        assertThat(verify(http, id).get("intact").asBoolean()).isTrue();

        // "hello there" is stored sealed: the edit changes the structure stored beside it
        int edited = storeProbe.replaceInStagePayloads(id, "reset\\\":false", "reset\\\":true");
        assertThat(edited).isPositive();

        JsonNode broken = verify(http, id);
        assertThat(broken.get("intact").asBoolean()).isFalse();
        assertThat(broken.get("problem").asText()).contains("event store");
    }

    @Test
    void unknownConversationIsNotFoundAndABadIdIsRejected() {
        RestClient http = LocalApi.strict(port);
        HttpStatusCode unknown = http.get().uri("/api/v1/conversation/audit/{id}/verify", UUID.randomUUID())
                .exchange((req, res) -> res.getStatusCode());
        HttpStatusCode bad = http.get().uri("/api/v1/conversation/audit/not-a-uuid/verify")
                .exchange((req, res) -> res.getStatusCode());
        assertThat(unknown.value()).isEqualTo(404);
        assertThat(bad.value()).isEqualTo(400);
    }

    private static JsonNode verify(RestClient http, UUID id) {
        return http.get().uri("/api/v1/conversation/audit/{id}/verify", id).retrieve().body(JsonNode.class);
    }
}
