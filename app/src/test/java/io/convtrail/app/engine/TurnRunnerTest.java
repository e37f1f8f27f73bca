package io.convtrail.app.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.convtrail.api.command.StartTurnCommand;
import io.convtrail.api.command.TurnRequester;
import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.app.engine.ConversationClient.TurnAudit;
import io.convtrail.command.flow.FlowDefinition;
import io.convtrail.command.turn.TurnRunners;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A turn left open records which process ran it; the next turn closes it at once when that process
 * is gone (ended, silent past the liveness timeout, or this very process no longer running it), and
 * waits for it when a live process runs it, as before.
 */
@ConvtrailIntegrationTest
class TurnRunnerTest {

    @LocalServerPort
    int port;

    @Autowired
    CommandGateway commands;

    @Autowired
    FlowDefinition flow;

    @Autowired
    TurnRunners runners;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aTurnThisProcessNoLongerRunsIsClosedAtOnce() {
        // what a database outage mid-turn leaves behind: the turn opened here, its end never recorded
        assertClosedAtOnce(runners.self());
    }

    @Test
    void aTurnOfAnEndedProcessIsClosedAtOnce() {
        assertClosedAtOnce(otherRunner("now()", "now()"));
    }

    @Test
    void aTurnOfAProcessSilentPastTheLivenessTimeoutIsClosedAtOnce() {
        assertClosedAtOnce(otherRunner("now() - interval '1 hour'", "null"));
    }

    @Test
    void aTurnOfALiveProcessIsWaitedForAndNotTouched() {
        ConversationClient client = new ConversationClient(port);
        UUID live = otherRunner("now()", "null");
        openTurn(client, live);

        JsonNode answer = client.say("hello");

        assertThat(answer.get("status").asInt()).as("busy after the wait: %s", answer).isEqualTo(409);
        assertThat(client.auditByTurn()).extracting(TurnAudit::stages).allMatch(stages -> !stages.contains("TURN_ABANDONED"));
        assertThat(runners.isGone(live)).isFalse();
    }

    private void assertClosedAtOnce(UUID runner) {
        ConversationClient client = new ConversationClient(port);
        UUID open = openTurn(client, runner);
        long started = System.nanoTime();

        JsonNode answer = client.say("hello");

        assertThat(answer.get("success").asBoolean()).as("answered: %s", answer).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("no wait for the dead turn")
                .isLessThan(Duration.ofSeconds(3));
        List<TurnAudit> turns = client.auditByTurn(2, s -> s.equals("PIPELINE_TIMING") || s.equals("TURN_ABANDONED"));
        assertThat(turns.get(0).turnId()).isEqualTo(open.toString());
        JsonNode abandoned = turns.get(0).payload("TURN_ABANDONED");
        assertThat(abandoned.get("reason").asText()).isEqualTo("RUNNER_GONE");
        assertThat(abandoned.get("closedByTurnId").asText()).isEqualTo(turns.get(1).turnId());
    }

    private UUID openTurn(ConversationClient client, UUID runner) {
        UUID turnId = UUID.randomUUID();
        commands.sendAndWait(new StartTurnCommand(client.conversationId, turnId, "hello", false, Map.of(), flow.id(),
                flow.contentHash(), Instant.now(), Duration.ofMinutes(2).toMillis(), Long.MAX_VALUE, TurnRequester.UNCHECKED, runner,
                null));
        return turnId;
    }

    /** Another node's process, as the registry would hold it. */
    private UUID otherRunner(String heartbeatAt, String endedAt) {
        UUID id = UUID.randomUUID();
        jdbc.sql("INSERT INTO turn_runner (runner_id, node_name, started_at, heartbeat_at, ended_at) VALUES (:id, "
                + "'other-node', now() - interval '2 hours', " + heartbeatAt + ", " + endedAt + ")")
                .param("id", id).update();
        return id;
    }
}
