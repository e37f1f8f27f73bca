package io.convtrail.query.trace;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.api.privacy.ContentCipher;
import io.convtrail.api.privacy.ContentKey;
import io.convtrail.api.privacy.ContentOpener;
import io.convtrail.api.privacy.ContentSeal;
import io.convtrail.api.rest.ConversationTrace;
import io.convtrail.api.rest.TracePage;
import io.convtrail.api.rest.TraceStep;
import io.convtrail.api.rest.TraceTurn;
import io.convtrail.query.trace.TraceRows.StageRow;
import io.convtrail.query.trace.TraceRows.StepRow;
import io.convtrail.query.trace.TraceRows.TurnRow;
import org.junit.jupiter.api.Test;

import javax.crypto.SecretKey;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The streamed trace is, byte for byte, what Jackson writes for the records: nulls, text that needs
 * escaping, text beyond ASCII, payloads written as they are stored, stages in up to three places.
 * The reference is Jackson writing UTF-8 bytes, as the HTTP message converter did (it escapes a
 * character outside the BMP in a string as a surrogate pair; a String writer would not).
 */
class TraceJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final UUID CONVERSATION = UUID.randomUUID();
    private static final UUID TURN = UUID.randomUUID();
    private static final UUID RUNNING_TURN = UUID.randomUUID();
    private static final ContentOpener NO_KEY = ContentOpener.of(CONVERSATION, ContentKey.NONE);
    private static final Instant T0 = Instant.parse("2026-11-24T06:00:00.000100Z");

    private final List<TurnRow> turns = List.of(
            new TurnRow(TURN, 1, "say \"hi\"\n\tto Zoë 👋 \\ \u0001", T0, T0.plusMillis(9), "GREETING", "IDLE",
                    TraceTurn.Status.COMPLETED, "ANSWERED"),
            new TurnRow(RUNNING_TURN, 2, null, T0.plusSeconds(1), null, null, null, TraceTurn.Status.RUNNING, null));
    private final List<StepRow> steps = List.of(
            new StepRow(11, TURN, "AuditUserInputStep", "x.AuditUserInputStep", "x/AuditUserInputStep.java",
                    TraceStep.Status.OK, T0.plusMillis(1), T0.plusMillis(3), 2L, null),
            new StepRow(15, TURN, "RulesStep", null, null, TraceStep.Status.ERROR, T0.plusMillis(4), T0.plusMillis(5),
                    1L, "rule \"x\" failed: ü"),
            new StepRow(20, RUNNING_TURN, "McpToolStep", "x.McpToolStep", "x/McpToolStep.java",
                    TraceStep.Status.RUNNING, T0.plusSeconds(1), null, null, null));
    private final List<StageRow> stages = List.of(
            stage(10, TURN, null, "MCP_USER_FEEDBACK", "{\"note\":\"before any turn\"}"),
            stage(11, TURN, null, "STEP_ENTER", "{\"step\":\"AuditUserInputStep\"}"),
            stage(12, TURN, 11L, "USER_INPUT", "{\"text\":\"say \\\"hi\\\" 👋\",\"n\":[1,2.5,null,true]}"),
            stage(13, TURN, null, "STEP_EXIT", "{\"step\":\"AuditUserInputStep\"}"),
            stage(14, TURN, null, "ASSISTANT_OUTPUT", "{ \"spaced\" : \"as stored\" }"),
            stage(15, TURN, null, "STEP_ENTER", "{}"),
            stage(16, TURN, 15L, "RULE_MATCH", "{\"ruleId\":\"r1\"}"),
            stage(17, TURN, null, "STEP_ERROR", "{}"),
            stage(20, RUNNING_TURN, null, "STEP_ENTER", "{}"),
            stage(21, RUNNING_TURN, 20L, "MCP_TOOL_CALL", "{\"tool\":\"credit\"}"),
            new StageRow(22, null, null, "MCP_USER_FEEDBACK", T0.plusSeconds(2), "{\"feedbackType\":\"THUMBS_UP\"}"));

    @Test
    void theWholeTraceIsWhatJacksonWritesForConversationTrace() throws Exception {
        TraceJson json = new TraceJson();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        json.write(CONVERSATION, null, render(json, turns, steps, stages, NO_KEY), out);

        ConversationTrace records = TraceAssembler.assemble(CONVERSATION, turns, steps, stages);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(new String(MAPPER.writeValueAsBytes(records), StandardCharsets.UTF_8));
    }

    @Test
    void aPageIsWhatJacksonWritesForTracePage() throws Exception {
        TraceJson json = new TraceJson();
        ConversationTrace records = TraceAssembler.assemble(CONVERSATION, turns, steps, stages);
        for (TraceJson.Paging paging : List.of(new TraceJson.Paging(1, 7, 3, "/next?fromTurn=3&turns=2"),
                new TraceJson.Paging(9, null, null, null))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            json.write(CONVERSATION, paging, render(json, turns, steps, stages, NO_KEY), out);

            TracePage page = new TracePage(CONVERSATION, paging.fromTurn(), paging.lastTurn(), paging.nextFromTurn(),
                    paging.next(), records.steps(), records.stages(), records.turns());
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(new String(MAPPER.writeValueAsBytes(page), StandardCharsets.UTF_8));
        }
    }

    @Test
    void anEmptyTraceHasEmptyLists() throws Exception {
        TraceJson json = new TraceJson();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        json.write(CONVERSATION, null, render(json, List.of(), List.of(), List.of(), NO_KEY), out);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo("{\"conversationId\":\"" + CONVERSATION + "\",\"steps\":[],\"stages\":[],\"turns\":[]}");
    }

    @Test
    void sealedPayloadsAreOpenedAndAnErasedConversationMaskedAsTheRecordsShowThem() throws Exception {
        SecretKey key = ContentCipher.newKey();
        ContentSeal seal = ContentSeal.of(CONVERSATION, Optional.of(key));
        List<StageRow> sealed = stages.stream().map(row -> new StageRow(row.auditId(), row.turnId(), row.stepId(),
                row.stage(), row.createdAt(), seal.stagePayload(row.payloadJson()))).toList();
        assertThat(sealed).anyMatch(row -> row.payloadJson().contains(ContentCipher.PREFIX));
        for (ContentOpener opener : List.of(ContentOpener.of(CONVERSATION, new ContentKey.Present(key)),
                ContentOpener.of(CONVERSATION, ContentKey.ERASED))) {
            TraceJson json = new TraceJson();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            json.write(CONVERSATION, null, render(json, turns, steps, sealed, opener), out);

            ConversationTrace records = TraceAssembler.assemble(CONVERSATION, turns, steps,
                    TraceRows.opened(opener, sealed, StageRow::opened));
            assertThat(out.toString(StandardCharsets.UTF_8))
                    .isEqualTo(new String(MAPPER.writeValueAsBytes(records), StandardCharsets.UTF_8))
                    .doesNotContain(ContentCipher.PREFIX);
        }
    }

    @Test
    void aLongTraceOfNestedStepsIsWhatJacksonWritesWhateverTheBlocksAndChunks() throws Exception {
        List<TurnRow> manyTurns = new ArrayList<>();
        List<StepRow> manySteps = new ArrayList<>();
        List<StageRow> manyStages = new ArrayList<>();
        Random random = new Random(15);
        long auditId = 100;
        for (int t = 1; t <= 40; t++) {
            UUID turn = UUID.randomUUID();
            manyTurns.add(new TurnRow(turn, t, "turn " + t + " ü", T0.plusSeconds(t), T0.plusSeconds(t).plusMillis(t),
                    "I" + t, "S" + t, TraceTurn.Status.COMPLETED, "ANSWERED"));
            manyStages.add(stage(auditId++, turn, null, "USER_INPUT", "{\"text\":\"" + "x".repeat(t == 1 ? 100_000 : random.nextInt(3000)) + "\"}"));
            long outer = auditId++;
            manyStages.add(stage(outer, turn, null, "STEP_ENTER", "{\"step\":\"Outer\"}"));
            manySteps.add(new StepRow(outer, turn, "Outer", null, null, TraceStep.Status.OK, T0, T0.plusMillis(1), 1L, null));
            long inner = auditId++;
            manyStages.add(stage(inner, turn, null, "STEP_ENTER", "{\"step\":\"Inner\"}"));
            manySteps.add(new StepRow(inner, turn, "Inner", "x.Inner", "x/Inner.java", TraceStep.Status.ERROR, T0,
                    T0.plusMillis(2), 2L, "failed \"here\""));
            for (int i = 0; i < 1 + random.nextInt(4); i++) {
                manyStages.add(stage(auditId++, turn, i % 2 == 0 ? inner : outer, "RULE_MATCH",
                        "{\"n\":" + i + ",\"pad\":\"" + "y".repeat(random.nextInt(20_000)) + "\"}"));
            }
            manyStages.add(stage(auditId++, turn, null, "STEP_ERROR", "{}"));
            manyStages.add(stage(auditId++, turn, 99_999L, "MCP_TOOL_CALL", "{\"in\":\"a step not read\"}"));
            manyStages.add(stage(auditId++, turn, null, "STEP_EXIT", "{}"));
            manyStages.add(stage(auditId++, turn, null, "ASSISTANT_OUTPUT", "{\"t\":" + t + "}"));
        }
        UUID unknownTurn = UUID.randomUUID();
        manySteps.add(new StepRow(auditId, unknownTurn, "Orphan", null, null, TraceStep.Status.RUNNING, T0, null, null, null));
        manyStages.add(stage(auditId++, unknownTurn, null, "STEP_ENTER", "{}"));
        manyStages.add(stage(auditId++, unknownTurn, auditId - 2, "USER_INPUT", "{}"));
        manyStages.add(stage(auditId, unknownTurn, null, "ASSISTANT_OUTPUT", "{}"));

        TraceJson json = new TraceJson();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        json.write(CONVERSATION, null, render(json, manyTurns, manySteps, manyStages, NO_KEY), out);

        assertThat(out.size()).as("several blocks of stages and several chunks").isGreaterThan(2_000_000);
        ConversationTrace records = TraceAssembler.assemble(CONVERSATION, manyTurns, manySteps, manyStages);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo(new String(MAPPER.writeValueAsBytes(records), StandardCharsets.UTF_8));
    }

    /** The stages rendered as the repository renders each row it reads. */
    private static TraceJson.Rendered render(TraceJson json, List<TurnRow> turns, List<StepRow> steps,
                                             List<StageRow> rows, ContentOpener opener) {
        RenderedStages stages = new RenderedStages(opener);
        for (StageRow row : rows) {
            stages.add(row.auditId(), row.turnId(), row.stepId() == null ? TraceGroups.NO_STEP : row.stepId(),
                    row.stage() == null ? null : row.stage().getBytes(StandardCharsets.UTF_8), row.createdAt(),
                    row.payloadJson() == null ? null : row.payloadJson().getBytes(StandardCharsets.UTF_8));
        }
        return json.render(turns, steps, stages);
    }

    private static StageRow stage(long auditId, UUID turnId, Long stepId, String stage, String payload) {
        return new StageRow(auditId, turnId, stepId, stage, T0.plusMillis(auditId), payload);
    }
}
