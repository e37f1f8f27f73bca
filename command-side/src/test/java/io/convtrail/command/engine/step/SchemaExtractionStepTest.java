package io.convtrail.command.engine.step;

import io.convtrail.api.Stage;
import io.convtrail.api.command.ConversationView;
import io.convtrail.command.engine.StepFixture;
import io.convtrail.command.engine.TurnSession;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SchemaExtractionStepTest {

    private final StepFixture turn = new StepFixture();

    @Test
    void fillsSeveralSlotsFromOneMessageAndAsksForTheMissingOne() {
        TurnSession session = turn.session("15,000 over 36 months", "LOAN_APPLICATION", "COLLECTING");

        new SchemaExtractionStep().run(session);

        assertThat(session.slots()).containsEntry("amount", 15000L).containsEntry("termMonths", "36");
        assertThat(session.schema().complete()).isFalse();
        assertThat(session.schema().nextQuestion()).isEqualTo("Which e-mail address should we send the offer to?");
        assertThat(turn.stages()).containsExactly(Stage.SCHEMA_EXTRACTION_START, Stage.SCHEMA_SLOT_EXTRACTED,
                Stage.SCHEMA_SLOT_EXTRACTED, Stage.SCHEMA_STATUS);
        assertThat(turn.payload(Stage.SCHEMA_STATUS).get("missingRequiredFields").toString()).isEqualTo("[\"email\"]");
        assertThat(turn.verbose()).extracting(v -> v.text()).containsExactly("Collected 2 of 3 application details.");
    }

    @Test
    void anInvalidValueIsReportedAndAskedAgain() {
        TurnSession session = turn.session("200 please", "LOAN_APPLICATION", "COLLECTING");

        new SchemaExtractionStep().run(session);

        assertThat(session.slots()).doesNotContainKey("amount");
        assertThat(session.schema().invalid()).extracting(p -> p.message())
                .containsExactly("The amount must be between 1,000 and 50,000.");
        assertThat(turn.payload(Stage.SCHEMA_SLOT_INVALID).get("value").asText()).isEqualTo("200");
        assertThat(turn.verbose()).extracting(v -> v.text()).containsExactly(
                "The amount you gave is not valid: The amount must be between 1,000 and 50,000.",
                "Collected 0 of 3 application details.");
    }

    @Test
    void aSlotAlreadyFilledIsNotOverwrittenByDigitsInALaterAnswer() {
        TurnSession session = turn.session(StepFixture.DEMO, "jane2@example.com", false, new ConversationView(4,
                "LOAN_APPLICATION", "COLLECTING", Map.of("amount", 15000L, "termMonths", "36"), Map.of()));

        new SchemaExtractionStep().run(session);

        assertThat(session.slots()).containsEntry("amount", 15000L).containsEntry("email", "jane2@example.com");
        assertThat(session.schema().complete()).isTrue();
    }

    @Test
    void nothingIsExtractedOutsideTheCollectingState() {
        TurnSession session = turn.session("20000", "LOAN_APPLICATION", "CONFIRMING");

        new SchemaExtractionStep().run(session);

        assertThat(session.slots()).isEmpty();
        assertThat(turn.stages()).isEmpty();
    }
}
