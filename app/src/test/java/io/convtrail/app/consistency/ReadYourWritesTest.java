package io.convtrail.app.consistency;

import io.convtrail.testsupport.store.EventStoreProbe;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.app.UnderLoadProperties;
import io.convtrail.app.LocalApi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Once a turn is answered, everyone reading the conversation sees all of it: the raw audit, the
 * trace and the chain check issued right after the POST are complete, with no step left open,
 * whether the turns come one after another or four at a time on each of sixteen conversations.
 * The bound on the wait is raised ({@link UnderLoadProperties}): this test is about completeness,
 * not about the bound ({@link ReadModelBehindTest} is).
 */
@ConvtrailIntegrationTest
@UnderLoadProperties
class ReadYourWritesTest {

    /** Demo-flow messages that do not call the (slow) demo tool. */
    private static final List<String> MESSAGES = List.of("What are your interest rates?", "I want to apply for a loan",
            "200 please", "Tell me a joke", "reset");

    private final ObjectMapper json = new ObjectMapper();

    @LocalServerPort
    int port;

    @Autowired
    EventStoreProbe storeProbe;

    RestClient http;

    @BeforeEach
    void client() {
        http = LocalApi.client(port);
    }

    @Test
    void everyReadRightAfterAnAnswerHoldsTheWholeConversation() {
        List<UUID> conversations = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            conversations.add(UUID.randomUUID());
        }
        for (int i = 0; i < 200; i++) {
            UUID id = conversations.get(i % conversations.size());
            int turns = i / conversations.size() + 1;
            assertThat(say(id, MESSAGES.get(turns % MESSAGES.size())).getStatusCode().value()).isEqualTo(200);

            JsonNode audit = get("/api/v1/conversation/audit/" + id);
            JsonNode trace = get("/api/v1/conversation/audit/" + id + "/trace");

            long stages = storedStages(id);
            assertThat(audit.size()).as("audit rows after turn %d", i).isEqualTo(stages);
            assertThat(trace.get("stages").size()).as("trace stages after turn %d", i).isEqualTo(stages);
            assertThat(trace.get("turns")).as("trace turns after turn %d", i).hasSize(turns)
                    .allSatisfy(ReadYourWritesTest::assertClosed);
            if (i % 10 == 0) {
                JsonNode verify = get("/api/v1/conversation/audit/" + id + "/verify");
                assertThat(verify.get("intact").asBoolean()).isTrue();
                assertThat(verify.get("records").asLong()).isEqualTo(storedRecords(id));
            }
        }
    }

    @Test
    void concurrentTurnsAreEachCompleteOnceAnswered() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(64);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < 16; c++) {
                UUID id = UUID.randomUUID();
                AtomicInteger answered = new AtomicInteger();
                for (int t = 0; t < 4; t++) {
                    String text = "Tell me a joke, number " + t;
                    done.add(clients.submit(() -> turnThenRead(id, text, answered)));
                }
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            clients.shutdownNow();
        }
    }

    /** One client: a turn, then the audit and the trace, which must hold it and every turn answered before. */
    private void turnThenRead(UUID id, String text, AtomicInteger answered) {
        ResponseEntity<String> answer = say(id, text);
        assertThat(answer.getStatusCode().value()).as(answer.getBody()).isEqualTo(200);
        int answeredSoFar = answered.incrementAndGet();

        JsonNode trace = get("/api/v1/conversation/audit/" + id + "/trace");
        JsonNode audit = get("/api/v1/conversation/audit/" + id);

        List<JsonNode> completed = new ArrayList<>();
        trace.get("turns").forEach(turn -> {
            if ("COMPLETED".equals(turn.get("status").asText())) {
                completed.add(turn);
            }
        });
        assertThat(completed).as("completed turns of %s", id).hasSizeGreaterThanOrEqualTo(answeredSoFar)
                .allSatisfy(ReadYourWritesTest::assertClosed);
        JsonNode mine = completed.stream().filter(t -> text.equals(t.get("userText").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("the answered turn '" + text + "' is not complete in " + trace));
        String turnId = mine.get("turnId").asText();
        List<String> auditStages = new ArrayList<>();
        audit.forEach(row -> {
            if (turnId.equals(read(row.get("payloadJson").asText()).at("/_meta/turnId").asText())) {
                auditStages.add(row.get("stage").asText());
            }
        });
        assertThat(auditStages).as("audit of the answered turn").contains("USER_INPUT", "ASSISTANT_OUTPUT");
        assertThat(auditStages.stream().filter("STEP_ENTER"::equals).count()).as("steps entered and left")
                .isEqualTo(auditStages.stream().filter(s -> s.equals("STEP_EXIT") || s.equals("STEP_ERROR")).count());
    }

    private static void assertClosed(JsonNode turn) {
        assertThat(turn.get("status").asText()).as("turn %s", turn.get("turnId")).isEqualTo("COMPLETED");
        assertThat(turn.get("steps")).as("steps of turn %s", turn.get("turnId")).isNotEmpty()
                .allSatisfy(step -> assertThat(step.get("status").asText()).isNotEqualTo("RUNNING"));
    }

    private ResponseEntity<String> say(UUID id, String message) {
        return http.post().uri("/api/v1/conversation/message").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("conversationId", id.toString(), "message", message)).retrieve().toEntity(String.class);
    }

    private JsonNode get(String uri) {
        ResponseEntity<String> answer = http.get().uri(uri).retrieve().toEntity(String.class);
        assertThat(answer.getStatusCode().value()).as("GET %s: %s", uri, answer.getBody()).isEqualTo(200);
        return read(answer.getBody());
    }

    private long storedStages(UUID id) {
        return storeProbe.events(id, EventStoreProbe.STAGE);
    }

    private long storedRecords(UUID id) {
        return storeProbe.records(id);
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
