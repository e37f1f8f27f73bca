package io.convtrail.app.engine;

import io.convtrail.testsupport.store.EventStoreProbe;
import com.fasterxml.jackson.databind.JsonNode;
import io.convtrail.app.ConvtrailIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stages are committed while a turn runs, not in a burst at its end: with the demo tool taking 2 s,
 * the tool's "checking" message is in the event store long before the answer is.
 */
@ConvtrailIntegrationTest
@SlowToolProperties
class LiveProgressTest {

    @LocalServerPort
    int port;

    @Autowired
    EventStoreProbe storeProbe;

    @Test
    void theToolsProgressIsCommittedWhileTheToolRuns() throws Exception {
        ConversationClient client = new ConversationClient(port);
        client.say("I want to apply for a loan");
        client.say("15000 over 36 months");

        CompletableFuture<JsonNode> turn = CompletableFuture.supplyAsync(() -> client.say("jane@example.com"));
        long verboseSeenAt = 0;
        long outputSeenAt = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (outputSeenAt == 0 && System.nanoTime() < deadline) {
            long now = System.nanoTime();
            if (verboseSeenAt == 0 && committedToolProgress(client) > 0) {
                verboseSeenAt = now;
            }
            if (committedAnswers(client) == 3) {
                outputSeenAt = now;
            }
            Thread.sleep(10);
        }

        assertThat(turn.get(10, TimeUnit.SECONDS).get("state").asText()).isEqualTo("CONFIRMING");
        assertThat(verboseSeenAt).as("tool progress committed").isPositive();
        assertThat(outputSeenAt).as("answer committed").isPositive();
        long leadMs = (outputSeenAt - verboseSeenAt) / 1_000_000;
        System.out.printf("tool progress was committed %d ms before ASSISTANT_OUTPUT%n", leadMs);
        assertThat(leadMs).isGreaterThanOrEqualTo(1500);
    }

    private long committedToolProgress(ConversationClient client) {
        return storeProbe.payloads(client.conversationId, EventStoreProbe.VERBOSE).stream()
                .map(payload -> payload.path("verbose"))
                .filter(v -> "credit_rating".equals(v.path("toolCode").asText(null))
                        && "TOOL_CALL".equals(v.path("determinant").asText(null)))
                .count();
    }

    private long committedAnswers(ConversationClient client) {
        return storeProbe.payloads(client.conversationId, EventStoreProbe.STAGE).stream()
                .filter(payload -> "ASSISTANT_OUTPUT".equals(payload.path("stage").asText(null)))
                .count();
    }
}
