package io.convtrail.api.stage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.api.Stage;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** What the one payload writer writes is what the readers read, field for field and in wire order. */
class StagePayloadsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UUID CONVERSATION = UUID.fromString("9bf7540a-b129-4685-a120-730e8a0cb94b");
    private static final UUID TURN = UUID.fromString("00000000-0000-0000-0000-0000000000a1");
    private static final Instant AT = Instant.parse("2026-11-24T05:00:00.123456Z");

    private final StagePayloads payloads = new StagePayloads(JSON);

    @Test
    void aStepExitIsMetaThenItsFieldsInWireOrderAndReadsBackAsTheSameRecord() throws Exception {
        StageMeta meta = new StageMeta(Stage.STEP_EXIT, CONVERSATION, TURN, AT, "FAQ_RATES", "ANSWERED");
        StepBracket exit = new StepBracket.Exit("RulesStep", "x.RulesStep", "RulesStep.java", "Continue", 12L);

        String written = payloads.write(meta, exit);

        assertThat(written).isEqualTo("{\"_meta\":{\"stage\":\"STEP_EXIT\",\"conversationId\":\"" + CONVERSATION
                + "\",\"turnId\":\"" + TURN + "\",\"emittedAt\":\"2026-11-24T05:00:00.123456Z\",\"intent\":\"FAQ_RATES\","
                + "\"state\":\"ANSWERED\"},\"step\":\"RulesStep\",\"stepClass\":\"x.RulesStep\","
                + "\"sourceFile\":\"RulesStep.java\",\"outcome\":\"Continue\",\"durationMs\":12}");
        JsonNode read = JSON.readTree(written);
        assertThat(StageMeta.read(read)).isEqualTo(meta);
        assertThat(StepBracket.read(read)).isEqualTo(exit);
    }

    @Test
    void everyBracketRoundTrips() throws Exception {
        for (StepBracket bracket : new StepBracket[]{
                new StepBracket.Enter("AuditUserInputStep", "x.AuditUserInputStep", "AuditUserInputStep.java"),
                new StepBracket.Error("RulesStep", "x.RulesStep$Inner", "RulesStep.java", 51L,
                        "java.lang.IllegalStateException", "rule table missing")}) {
            String written = payloads.write(new StageMeta(bracket.stage(), CONVERSATION, TURN, AT, null, "IDLE"),
                    bracket);
            JsonNode read = JSON.readTree(written);
            assertThat(StepBracket.read(read)).isEqualTo(bracket);
            assertThat(StepBracket.read(bracket.stage(), read)).isEqualTo(bracket);
            assertThat(read.get("_meta").get("intent").isNull()).as("a null intent is written, not left out").isTrue();
        }
    }

    @Test
    void feedbackOutsideATurnHasANullTurnIdAndKeepsTheClientsValuesAsSent() throws Exception {
        JsonNode metadata = JSON.readTree("{\"score\":1.5,\"tags\":[\"a\"]}");
        String written = payloads.write(new StageMeta(Stage.MCP_USER_FEEDBACK, CONVERSATION, null, AT, "FAQ_RATES",
                "ANSWERED"), new UserFeedback("THUMBS_DOWN", JSON.readTree("42"), null, metadata));

        assertThat(written).endsWith("\"turnId\":null,\"emittedAt\":\"2026-11-24T05:00:00.123456Z\","
                + "\"intent\":\"FAQ_RATES\",\"state\":\"ANSWERED\"},\"feedbackType\":\"THUMBS_DOWN\",\"messageId\":42,"
                + "\"assistantResponse\":null,\"metadata\":{\"score\":1.5,\"tags\":[\"a\"]}}");
        assertThat(StageMeta.read(JSON.readTree(written)).turnId()).isNull();
    }

    @Test
    void namedFieldsFollowTheMetaInTheirOwnOrder() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("ruleId", "r2");
        fields.put("actions", 2);
        fields.put("note", null);

        String written = payloads.write(new StageMeta(Stage.RULE_APPLIED, CONVERSATION, TURN, AT, "LOAN", "S"), fields);

        assertThat(written).endsWith("\"state\":\"S\"},\"ruleId\":\"r2\",\"actions\":2,\"note\":null}");
    }

    @Test
    void aPayloadWithoutMetaReadsAsEmptyMeta() throws Exception {
        StageMeta meta = StageMeta.read(JSON.readTree("{\"_meta\":{\"stage\":\"NO_SUCH\",\"turnId\":\"x\"}}"));
        assertThat(meta).isEqualTo(new StageMeta(null, null, null, null, null, null));
        assertThat(StageMeta.read(JSON.readTree("{}")).stage()).isNull();
    }
}
