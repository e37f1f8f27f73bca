package io.convtrail.app.trace;

import io.convtrail.app.LocalApi;
import com.fasterxml.jackson.databind.JsonNode;
import io.convtrail.api.Stage;
import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.app.ScriptedConversation;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.RestClient;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A long conversation (4,000 stages in 400 steps over 4 turns): the incremental trace projection
 * keeps every turn, step and stage in place. How fast the trace answers is the benchmark's
 * business (bench/, scenario 5), not a test's.
 */
@ConvtrailIntegrationTest
class LongConversationTraceTest {

    private static final Logger log = LoggerFactory.getLogger(LongConversationTraceTest.class);
    private static final int TURNS = 4;
    private static final int STEPS_PER_TURN = 100;
    private static final int STAGES_INSIDE_A_STEP = 8;

    @LocalServerPort
    int port;

    @Autowired
    CommandGateway commands;

    @Test
    void aLongConversationsTraceHoldsEveryTurnStepAndStage() {
        RestClient http = LocalApi.strict(port);
        ScriptedConversation c = new ScriptedConversation(commands);
        long recordStarted = System.nanoTime();
        for (int turn = 1; turn <= TURNS; turn++) {
            c.turn("message " + turn);
            for (int step = 0; step < STEPS_PER_TURN; step++) {
                String name = "Step" + step;
                c.enter(name);
                for (int i = 0; i < STAGES_INSIDE_A_STEP; i++) {
                    c.stage(Stage.RULE_MATCH, Map.of("ruleId", "r" + i, "turn", turn));
                }
                c.exit(name, 1);
                if (step % 50 == 49) {
                    c.flush();
                }
            }
            c.complete("INTENT_" + turn, "STATE_" + turn);
        }
        int stages = c.recorded();
        assertThat(stages).isEqualTo(TURNS * STEPS_PER_TURN * (STAGES_INSIDE_A_STEP + 2));
        long recorded = System.nanoTime();

        // 4,000 stages recorded at once can keep the trace more than the read-your-writes bound behind
        // on a busy machine: its 503 (read model behind, Retry-After) means ask again
        JsonNode trace = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .ignoreException(HttpServerErrorException.ServiceUnavailable.class).until(
                () -> http.get().uri("/api/v1/conversation/audit/{id}/trace", c.id()).retrieve().body(JsonNode.class),
                t -> t.get("stages").size() == stages && t.get("turns").get(TURNS - 1).get("status").asText()
                        .equals("COMPLETED"));
        long projected = System.nanoTime();
        assertThat(trace.get("steps")).hasSize(TURNS * STEPS_PER_TURN);
        assertThat(trace.get("turns").get(3).get("steps")).hasSize(STEPS_PER_TURN);
        assertThat(trace.get("steps").get(TURNS * STEPS_PER_TURN - 1).get("stages")).hasSize(STAGES_INSIDE_A_STEP);

        log.info("trace of {} stages: recorded in {} ms, projected {} ms later (latency is measured by bench/, "
                + "scenario 5)", stages, (recorded - recordStarted) / 1_000_000, (projected - recorded) / 1_000_000);
    }
}
