package io.convtrail.command.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.convtrail.api.Stage;
import io.convtrail.api.command.ConversationState;
import io.convtrail.api.event.TurnOutcome;
import io.convtrail.api.stage.StageMeta;
import io.convtrail.api.stage.StepBracket;
import io.convtrail.command.turn.EngineFailure;
import io.convtrail.command.turn.TurnError;
import io.convtrail.command.turn.TurnResult;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The recorder writes what the steps decided, stamped where the conversation stands, through the one writer. */
class TurnRecorderTest {

    private final StepFixture turn = new StepFixture();

    @Test
    void aBracketIsWrittenAsItsRecordAndReadsBackAsTheSameRecord() {
        TurnSession session = turn.session("hi", "FAQ_RATES", "ANSWERED");
        StepBracket exit = new StepBracket.Exit("RulesStep", "x.RulesStep", "RulesStep.java", "Stop", 3L);

        session.record().bracket(exit);

        JsonNode payload = turn.payload(Stage.STEP_EXIT);
        assertThat(StepBracket.read(payload)).isEqualTo(exit);
        StageMeta meta = StageMeta.read(payload);
        assertThat(meta.stage()).isEqualTo(Stage.STEP_EXIT);
        assertThat(meta.intent()).isEqualTo("FAQ_RATES");
        assertThat(meta.state()).isEqualTo("ANSWERED");
    }

    @Test
    void aKnownFailureIsRecordedWhereTheTurnStoodAndLeavesTheConversationAsFound() {
        TurnSession session = turn.session("hi", "LOAN_APPLICATION", "COLLECTING");
        ConversationState found = session.input().conversation().conversation();
        session.moveTo("LOAN_APPLICATION", "CONFIRMING");
        session.slots().put("amount", 15000L);

        TurnResult result = session.record().failed(new EngineFailure("TOOL_CALL_FAILED", "rating down", true, null));

        JsonNode payload = turn.payload(Stage.ENGINE_KNOWN_FAILURE);
        assertThat(names(payload)).containsExactly("_meta", "errorCode", "message", "recoverable");
        assertThat(payload.get("errorCode").asText()).isEqualTo("TOOL_CALL_FAILED");
        assertThat(payload.get("recoverable").asBoolean()).isTrue();
        assertThat(StageMeta.read(payload).state()).isEqualTo("CONFIRMING");
        assertThat(result.outcome()).isEqualTo(TurnOutcome.FAILED);
        assertThat(result.success()).isFalse();
        assertThat(result.conversation()).isEqualTo(found);
        assertThat(result.error()).isEqualTo(new TurnError("TOOL_CALL_FAILED", "rating down", true));
    }

    @Test
    void anyOtherFailureIsAnUnknownOneNamingItsException() {
        TurnSession session = turn.session("hi", null, "IDLE");

        TurnResult result = session.record().failed(new IllegalStateException((String) null));

        JsonNode payload = turn.payload(Stage.ENGINE_UNKNOWN_FAILURE);
        assertThat(names(payload)).containsExactly("_meta", "exception", "message", "recoverable");
        assertThat(payload.get("exception").asText()).isEqualTo(IllegalStateException.class.getName());
        assertThat(payload.get("message").asText()).isEqualTo("null");
        assertThat(result.error()).isEqualTo(new TurnError(null, "null", false));
        assertThat(turn.stages()).containsExactly(Stage.ENGINE_UNKNOWN_FAILURE);
        assertThat(result.conversation()).isEqualTo(new ConversationState(null, "IDLE", Map.of(), Map.of()));
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
