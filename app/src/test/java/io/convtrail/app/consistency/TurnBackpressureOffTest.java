package io.convtrail.app.consistency;

import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.app.LocalApi;
import io.convtrail.app.ScriptedConversation;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import javax.sql.DataSource;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code convtrail.read-side.backpressure=false}: turns run at once however far the read side is
 * behind (here the audit projection, held by {@link HeldAuditProjection}, has not written one row of
 * a 60-record turn when the next turn answers, three times the bound of 20 events set here).
 */
@ConvtrailIntegrationTest
@TestPropertySource(properties = {"convtrail.read-side.backpressure=false", "convtrail.read-side.max-lag=20"})
class TurnBackpressureOffTest {

    @LocalServerPort
    int port;

    @Test
    void withBackpressureOffATurnRunsWhileTheAuditIsFarBehind(@Autowired JdbcClient jdbc,
                                                               @Autowired DataSource dataSource,
                                                               @Autowired CommandGateway commands) throws Exception {
        try (HeldAuditProjection held = new HeldAuditProjection(jdbc, dataSource)) {
            ScriptedConversation behind = HeldAuditProjection.recordTurnOf(commands, 60);

            int status = LocalApi.client(port).post().uri("/api/v1/conversation/message")
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of("conversationId", UUID.randomUUID().toString(), "message", "Tell me a joke"))
                    .retrieve().toEntity(String.class).getStatusCode().value();

            assertThat(status).isEqualTo(200);
            assertThat(held.auditRows(behind.id())).as("the audit still behind when the turn answered").isZero();
        }
    }
}
