package io.convtrail.app.engine;

import io.convtrail.testsupport.store.EventStoreProbe;
import io.convtrail.app.LocalApi;
import io.convtrail.app.ConvtrailIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Requests the edge refuses get a 4xx problem+json and leave the event store exactly as it was. */
@ConvtrailIntegrationTest
class InvalidRequestTest {

    private static final String ID = UUID.randomUUID().toString();

    @LocalServerPort
    int port;

    @Autowired
    EventStoreProbe storeProbe;

    static Stream<Arguments> invalidRequests() {
        return Stream.of(
                Arguments.of("malformed JSON", "application/json", "{\"message\": \"hi\"", 400),
                Arguments.of("non-UUID id", "application/json", "{\"conversationId\":\"abc\",\"message\":\"hi\"}", 400),
                Arguments.of("missing message", "application/json", "{\"conversationId\":\"" + ID + "\"}", 400),
                Arguments.of("blank message", "application/json", "{\"conversationId\":\"" + ID + "\",\"message\":\"  \"}", 400),
                Arguments.of("message not a string", "application/json", "{\"message\":42}", 400),
                Arguments.of("reset not a boolean", "application/json", "{\"message\":\"hi\",\"reset\":\"yes\"}", 400),
                Arguments.of("inputParams not an object", "application/json",
                        "{\"message\":\"hi\",\"inputParams\":[1,2]}", 400),
                Arguments.of("message over 16 KiB", "application/json",
                        "{\"conversationId\":\"" + ID + "\",\"message\":\"" + "x".repeat(16 * 1024 + 1) + "\"}", 413),
                Arguments.of("not JSON", "text/plain", "hello", 415));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRequests")
    void isRefusedWithProblemJsonAndChangesNothing(String name, String contentType, String body, int status) {
        long eventsBefore = storedEvents();

        ResponseEntity<String> response = LocalApi.client(port)
                .post().uri("/api/v1/conversation/message").header("Content-Type", contentType).body(body)
                .retrieve().toEntity(String.class);

        assertThat(response.getStatusCode().value()).isEqualTo(status);
        assertThat(response.getHeaders().getContentType()).hasToString("application/problem+json");
        assertThat(response.getBody()).contains("\"status\":" + status);
        assertThat(storedEvents()).as("events in the store").isEqualTo(eventsBefore);
    }

    @Test
    void aBareResetNeedsNoMessage() {
        String body = "{\"conversationId\":\"" + UUID.randomUUID() + "\",\"reset\":true}";
        String answer = LocalApi.strict(port).post().uri("/api/v1/conversation/message")
                .header("Content-Type", "application/json").body(body).retrieve().body(String.class);

        assertThat(answer).contains("\"success\":true", "Let's start over.");
    }

    private long storedEvents() {
        return storeProbe.events();
    }
}
