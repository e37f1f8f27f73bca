package io.convtrail.command.engine.step;

import io.convtrail.api.Stage;
import io.convtrail.command.engine.StepFixture;
import io.convtrail.command.engine.TurnSession;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IntentResolutionStepTest {

    private final StepFixture turn = new StepFixture();

    @Test
    void theHigherPriorityIntentWinsWhenSeveralMatch() {
        TurnSession session = turn.session("what interest rate do you charge on a loan?", null, "IDLE");

        new IntentResolutionStep().run(session);

        assertThat(session.intent()).isEqualTo("FAQ_RATES");
        assertThat(session.state()).isEqualTo("ANSWERED");
        assertThat(turn.stages()).containsExactly(Stage.INTENT_RESOLVE_START, Stage.INTENT_CLASSIFICATION_MATCHED,
                Stage.INTENT_RESOLVED_BY_CLASSIFIER);
        assertThat(turn.payload(Stage.INTENT_CLASSIFICATION_MATCHED).get("matchedBy").asText()).isEqualTo("CONTAINS");
        assertThat(turn.verbose()).extracting(v -> v.text()).containsExactly("Looking up our current loan rates.");
    }

    @Test
    void aRunningIntentKeepsInputThatMatchesNothing() {
        TurnSession session = turn.session("15000 over 36 months", "LOAN_APPLICATION", "COLLECTING");

        new IntentResolutionStep().run(session);

        assertThat(session.intent()).isEqualTo("LOAN_APPLICATION");
        assertThat(session.state()).isEqualTo("COLLECTING");
        assertThat(turn.payload(Stage.INTENT_RESOLVE_START).get("intentLocked").asBoolean()).isTrue();
        assertThat(turn.payload(Stage.INTENT_CLASSIFIER_NO_MATCH).get("intentKept").asBoolean()).isTrue();
    }

    @Test
    void aFinishedIntentDoesNotKeepUnmatchedInput() {
        TurnSession session = turn.session("tell me a joke", "FAQ_RATES", "ANSWERED");

        new IntentResolutionStep().run(session);

        assertThat(session.intent()).isNull();
        assertThat(turn.stages()).containsExactly(Stage.INTENT_RESOLVE_START, Stage.INTENT_CLASSIFIER_NO_MATCH);
    }

    @Test
    void matchingTheRunningIntentAgainChangesNothing() {
        TurnSession session = turn.session("yes, apply now", "LOAN_APPLICATION", "CONFIRMING");

        new IntentResolutionStep().run(session);

        assertThat(session.state()).isEqualTo("CONFIRMING");
        assertThat(turn.stages()).endsWith(Stage.INTENT_RESOLVE_NO_CHANGE);
    }
}
