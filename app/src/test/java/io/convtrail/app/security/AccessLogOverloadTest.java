package io.convtrail.app.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.app.LocalApi;
import io.convtrail.app.stream.SseTestClient;
import io.convtrail.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.TestPropertySource;

import javax.sql.DataSource;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An admin's read is recorded in the access log before it is answered. When the connection pool is
 * exhausted (as by a burst of a thousand admin streams opening at once), that record cannot be written:
 * the read is refused as 503 problem+json with Retry-After, never a 500 and never answered unrecorded;
 * once connections are free again the same read is answered and recorded.
 */
@ConvtrailIntegrationTest
@TestPropertySource(properties = {"spring.datasource.hikari.maximum-pool-size=4",
        "spring.datasource.hikari.connection-timeout=400"})
class AccessLogOverloadTest {

    private static final int POOL = 4;

    @LocalServerPort
    int port;

    @Autowired
    DataSource pool;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void anAdminReadThatCannotBeRecordedIsRefusedAs503AndAnsweredOnceItCanBe() throws Exception {
        UUID id = UUID.randomUUID();
        assertThat(LocalApi.client(port, TestTokens.user("alice")).post().uri("/api/v1/conversation/message")
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"conversationId\":\"" + id + "\",\"message\":\"What are your interest rates?\"}")
                .retrieve().toBodilessEntity().getStatusCode().value()).isEqualTo(200);

        List<Connection> held = exhaust();
        try {
            ResponseEntity<String> audit = LocalApi.client(port, TestTokens.admin()).get()
                    .uri("/api/v1/conversation/audit/{id}", id).retrieve().toEntity(String.class);
            assertThat(audit.getStatusCode().value()).isEqualTo(503);
            assertThat(audit.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
            assertThat(audit.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("2");
            assertThat(audit.getBody()).contains("urn:convtrail:problem:database-unavailable")
                    .contains("access log");

            HttpResponse<InputStream> stream = SseTestClient.attempt(http, URI.create("http://localhost:" + port
                    + "/api/v1/conversation/stream/" + id + "?access_token=" + TestTokens.admin()), Map.of());
            stream.body().close();
            assertThat(stream.statusCode()).isEqualTo(503);
            assertThat(stream.headers().firstValue(HttpHeaders.RETRY_AFTER)).contains("2");
        } finally {
            for (Connection connection : held) {
                connection.close();
            }
        }

        // the refused reads read nothing and left no record
        assertThat(recorded(id, "/api/v1/conversation/audit/" + id)).isZero();
        assertThat(recorded(id, "/api/v1/conversation/stream/" + id)).isZero();
        assertThat(LocalApi.client(port, TestTokens.admin()).get().uri("/api/v1/conversation/audit/{id}", id)
                .retrieve().toBodilessEntity().getStatusCode().value()).isEqualTo(200);
        assertThat(recorded(id, "/api/v1/conversation/audit/" + id)).isEqualTo(1);
    }

    /** Takes every connection of the pool, waiting out the ones the service holds for a moment. */
    private List<Connection> exhaust() {
        List<Connection> held = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            try {
                held.add(pool.getConnection());
            } catch (SQLException busy) {
                // the projections held one for the whole timeout: try again
            }
            return held.size() == POOL;
        });
        return held;
    }

    /** How many reads of {@code path} the access log holds for the conversation. */
    private long recorded(UUID id, String path) {
        JsonNode access = LocalApi.client(port, TestTokens.admin()).get()
                .uri("/api/v1/conversation/audit/{id}/access", id).retrieve().body(JsonNode.class);
        return access.findValuesAsText("endpoint").stream().filter(("GET " + path)::equals).count();
    }
}
