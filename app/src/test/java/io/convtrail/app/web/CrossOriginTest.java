package io.convtrail.app.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.app.LocalApi;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A chat UI served from another origin (a dev server on localhost, the default of
 * {@code convtrail.stream.allowed-origins}) may post and read; any other origin is refused before
 * anything is recorded.
 */
@ConvtrailIntegrationTest
class CrossOriginTest {

    private static final String ALLOWED = "http://localhost:5173";
    private static final String OTHER = "https://chat.example.org";
    private static final String MESSAGE = "/api/v1/conversation/message";
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Test
    void anAllowedOriginPassesThePreflightAndItsPostIsAnswered() throws Exception {
        ResponseEntity<Void> preflight = preflight(ALLOWED);

        assertThat(preflight.getStatusCode().value()).isEqualTo(200);
        assertThat(preflight.getHeaders().getAccessControlAllowOrigin()).isEqualTo(ALLOWED);
        assertThat(preflight.getHeaders().getAccessControlAllowMethods()).contains(HttpMethod.POST);
        assertThat(preflight.getHeaders().getAccessControlAllowHeaders())
                .map(String::toLowerCase).contains("authorization", "content-type");

        UUID conversation = UUID.randomUUID();
        ResponseEntity<String> post = post(ALLOWED, conversation);

        assertThat(post.getStatusCode().value()).isEqualTo(200);
        assertThat(post.getHeaders().getAccessControlAllowOrigin()).isEqualTo(ALLOWED);
        assertThat(post.getHeaders().getAccessControlExposeHeaders()).contains("Retry-After", "X-Trace-Id");
        assertThat(JSON.readTree(post.getBody()).path("success").asBoolean()).isTrue();

        ResponseEntity<String> audit = LocalApi.client(port).get().uri("/api/v1/conversation/audit/{id}", conversation)
                .header("Origin", ALLOWED).retrieve().toEntity(String.class);
        assertThat(audit.getStatusCode().value()).isEqualTo(200);
        assertThat(audit.getHeaders().getAccessControlAllowOrigin()).isEqualTo(ALLOWED);
    }

    @Test
    void anotherOriginIsRefusedAtThePreflightAndItsPostRecordsNothing() throws Exception {
        ResponseEntity<Void> preflight = preflight(OTHER);

        assertThat(preflight.getStatusCode().value()).isEqualTo(403);
        assertThat(preflight.getHeaders().getAccessControlAllowOrigin()).isNull();

        UUID conversation = UUID.randomUUID();
        ResponseEntity<String> post = post(OTHER, conversation);

        assertThat(post.getStatusCode().value()).isEqualTo(403);
        assertThat(post.getHeaders().getAccessControlAllowOrigin()).isNull();
        assertThat(post.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        JsonNode problem = JSON.readTree(post.getBody());
        assertThat(problem.path("status").asInt()).isEqualTo(403);
        assertThat(jdbc.sql("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ?")
                .param(conversation.toString()).query(Long.class).single()).as("events recorded").isZero();
    }

    private ResponseEntity<Void> preflight(String origin) {
        return LocalApi.client(port, null).options().uri(MESSAGE)
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .retrieve().toBodilessEntity();
    }

    private ResponseEntity<String> post(String origin, UUID conversation) {
        return LocalApi.client(port).post().uri(MESSAGE).header("Origin", origin)
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"conversationId\":\"" + conversation + "\",\"message\":\"what is the APR?\"}")
                .retrieve().toEntity(String.class);
    }
}
