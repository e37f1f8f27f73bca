package io.convtrail.app.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.convtrail.app.LocalApi;
import io.convtrail.app.stream.StompConnect;
import io.convtrail.testsupport.PostgresTestConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code convtrail.security.enabled=false}: ConvEngine's open behaviour for clients on a trusted
 * network (no token anywhere), announced by a warning at startup; the hardening headers stay.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "convtrail.security.enabled=false")
@Import(PostgresTestConfiguration.class)
class SecurityOffTest {

    @LocalServerPort
    int port;

    @Test
    void everythingIsOpenAndTheLogSaysSoLoudly(CapturedOutput log) throws Exception {
        JsonNode answer = LocalApi.client(port, null).post().uri("/api/v1/conversation/message")
                .contentType(MediaType.APPLICATION_JSON).body("{\"message\":\"What are your interest rates?\"}")
                .retrieve().body(JsonNode.class);
        String id = answer.get("conversationId").asText();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(LocalApi.client(port, null).get()
                .uri("/api/v1/conversation/audit/{id}", id).retrieve().body(JsonNode.class).findValuesAsText("stage"))
                .contains("USER_INPUT"));
        assertThat(LocalApi.client(port, null).get().uri("/actuator/projections").retrieve().toBodilessEntity()
                .getStatusCode().value()).isEqualTo(200);
        StompSession stomp = StompConnect.as(new WebSocketStompClient(new StandardWebSocketClient()),
                "ws://localhost:" + port + "/ws-convengine", null, new StompSessionHandlerAdapter() {
                }).get(10, TimeUnit.SECONDS);
        assertThat(stomp.isConnected()).isTrue();
        stomp.disconnect();
        assertThat(LocalApi.client(port, null).get().uri("/").retrieve().toBodilessEntity().getHeaders()
                .getFirst("Content-Security-Policy")).contains("script-src 'self'");
        assertThat(log.getOut()).contains("SECURITY IS OFF (convtrail.security.enabled=false)");
    }
}
