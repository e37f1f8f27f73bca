package io.convtrail.app.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.convtrail.api.Stage;
import io.convtrail.api.command.RecordTurnEventsCommand;
import io.convtrail.api.command.StartTurnCommand;
import io.convtrail.api.command.TurnRecord;
import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.app.engine.ConversationClient.TurnAudit;
import io.convtrail.command.aggregate.TurnNotOpenException;
import io.convtrail.command.flow.FlowDefinition;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A turn left open by a node that died is closed as abandoned by the next turn once the timeout (1 s here) passed. */
@ConvtrailIntegrationTest
@FailingDeskFlow
class AbandonedTurnTest {

    @LocalServerPort
    int port;

    @Autowired
    CommandGateway commands;

    @Autowired
    FlowDefinition flow;

    @Test
    void theNextTurnClosesAStaleOpenTurnAndGoesOn() {
        ConversationClient client = new ConversationClient(port);
        UUID crashed = UUID.randomUUID();
        // what a node does before it dies mid-turn: open the turn, never complete it
        commands.sendAndWait(new StartTurnCommand(client.conversationId, crashed, "hello", false, Map.of(),
                flow.id(), flow.contentHash(), Instant.now(), 1_000, Long.MAX_VALUE));

        long started = System.nanoTime();
        JsonNode answer = client.say("hello");
        long waitedMs = (System.nanoTime() - started) / 1_000_000;

        assertThat(answer.get("success").asBoolean()).isTrue();
        assertThat(waitedMs).as("waited for the open turn to go stale").isBetween(700L, 5_000L);
        List<TurnAudit> turns = client.auditByTurn(2, s -> s.equals("PIPELINE_TIMING") || s.equals("TURN_ABANDONED"));
        assertThat(turns.get(0).turnId()).isEqualTo(crashed.toString());
        assertThat(turns.get(0).stages()).containsExactly(Stage.TURN_ABANDONED.name());
        assertThat(turns.get(0).payload("TURN_ABANDONED").get("closedByTurnId").asText()).isEqualTo(turns.get(1).turnId());
        assertThatThrownBy(() -> commands.sendAndWait(new RecordTurnEventsCommand(client.conversationId, crashed,
                List.of(new TurnRecord.StageRecord(Stage.USER_INPUT, "{}", Instant.now())))))
                .isInstanceOf(TurnNotOpenException.class);
    }
}
