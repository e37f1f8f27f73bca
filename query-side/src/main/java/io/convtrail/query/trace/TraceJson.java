package io.convtrail.query.trace;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.convtrail.api.rest.ConversationTrace;
import io.convtrail.api.rest.TracePage;
import io.convtrail.query.json.RawJson;
import io.convtrail.query.trace.TraceAssembler.Grouped;
import io.convtrail.query.trace.TraceRows.StageRow;
import io.convtrail.query.trace.TraceRows.StepRow;
import io.convtrail.query.trace.TraceRows.TurnRow;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;

/**
 * Writes a trace straight to the answer's stream, byte for byte what Jackson writes for
 * {@link ConversationTrace} and {@link TracePage}, without building the records: a 10,000-stage trace
 * is 9 MB, and the tree of records and its reflective serialization were most of its cost. Each stage
 * is rendered to UTF-8 once and copied into the up to three places it appears; its payload (JSON the
 * read model stores) is written as it is, never parsed.
 */
final class TraceJson {

    /** A step to write: its row and its rendered stages. */
    record StepOut(StepRow row, List<RawJson> stages) {
    }

    /** A turn to write: its row, its steps and its rendered stages outside steps. */
    record TurnOut(TurnRow row, List<StepOut> steps, List<RawJson> stagesOutsideSteps) {
    }

    /** What the page adds in front of the trace's lists. */
    record Paging(int fromTurn, Integer lastTurn, Integer nextFromTurn, String next) {
    }

    private final ObjectWriter writer;

    TraceJson(ObjectWriter writer) {
        this.writer = writer;
    }

    /** The rows grouped, each stage rendered once. */
    Grouped<RawJson, StepOut, TurnOut> render(List<TurnRow> turns, List<StepRow> steps, List<StageRow> stages) {
        ByteArrayBuilder buffer = new ByteArrayBuilder(512);
        try (JsonGenerator stageWriter = writer.createGenerator(buffer)) {
            stageWriter.setRootValueSeparator(null);
            return TraceAssembler.group(turns, steps, stages, new TraceAssembler.Parts<>() {
                @Override
                public RawJson stage(StageRow row) {
                    try {
                        stageWriter.writeStartObject();
                        stageWriter.writeNumberField("auditId", row.auditId());
                        stageWriter.writeStringField("stage", row.stage());
                        stageWriter.writeStringField("createdAt", TraceAssembler.iso(row.createdAt()));
                        stageWriter.writeFieldName("payload");
                        stageWriter.writeRawValue(row.payloadJson());
                        stageWriter.writeEndObject();
                        stageWriter.flush();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e); // a byte buffer does not fail
                    }
                    RawJson rendered = new RawJson(buffer.toByteArray());
                    buffer.reset();
                    return rendered;
                }

                @Override
                public StepOut step(StepRow row, List<RawJson> stagesOfStep) {
                    return new StepOut(row, stagesOfStep);
                }

                @Override
                public TurnOut turn(TurnRow row, List<StepOut> stepsOfTurn, List<RawJson> stagesOutsideSteps) {
                    return new TurnOut(row, stepsOfTurn, stagesOutsideSteps);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@link ConversationTrace}, or {@link TracePage} when {@code paging} is given. */
    void write(UUID conversationId, Paging paging, Grouped<RawJson, StepOut, TurnOut> trace, OutputStream out)
            throws IOException {
        try (JsonGenerator json = writer.createGenerator(out)) {
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.writeStartObject();
            json.writeStringField("conversationId", conversationId.toString());
            if (paging != null) {
                json.writeNumberField("fromTurn", paging.fromTurn());
                writeNumberField(json, "lastTurn", paging.lastTurn() == null ? null : paging.lastTurn().longValue());
                writeNumberField(json, "nextFromTurn",
                        paging.nextFromTurn() == null ? null : paging.nextFromTurn().longValue());
                json.writeStringField("next", paging.next());
            }
            json.writeArrayFieldStart("steps");
            for (StepOut step : trace.steps()) {
                writeStep(json, step);
            }
            json.writeEndArray();
            writeStages(json, "stages", trace.stages());
            json.writeArrayFieldStart("turns");
            for (TurnOut turn : trace.turns()) {
                writeTurn(json, turn);
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }

    private static void writeStep(JsonGenerator json, StepOut step) throws IOException {
        StepRow row = step.row();
        json.writeStartObject();
        json.writeStringField("step", row.step());
        json.writeStringField("stepClass", row.stepClass());
        json.writeStringField("sourceFile", row.sourceFile());
        json.writeStringField("status", row.status().name());
        json.writeStringField("startedAt", TraceAssembler.iso(row.startedAt()));
        json.writeStringField("endedAt", TraceAssembler.iso(row.endedAt()));
        writeNumberField(json, "durationMs", row.durationMs());
        json.writeStringField("error", row.error());
        writeStages(json, "stages", step.stages());
        json.writeEndObject();
    }

    private static void writeTurn(JsonGenerator json, TurnOut turn) throws IOException {
        TurnRow row = turn.row();
        json.writeStartObject();
        json.writeStringField("turnId", row.turnId().toString());
        json.writeNumberField("index", row.index());
        json.writeStringField("userText", row.userText());
        json.writeStringField("startedAt", TraceAssembler.iso(row.startedAt()));
        json.writeStringField("endedAt", TraceAssembler.iso(row.endedAt()));
        writeNumberField(json, "durationMs", TraceAssembler.durationMs(row));
        json.writeStringField("intent", row.intent());
        json.writeStringField("state", row.state());
        json.writeStringField("status", row.status().name());
        json.writeStringField("outcome", row.outcome());
        json.writeArrayFieldStart("steps");
        for (StepOut step : turn.steps()) {
            writeStep(json, step);
        }
        json.writeEndArray();
        writeStages(json, "stagesOutsideSteps", turn.stagesOutsideSteps());
        json.writeEndObject();
    }

    private static void writeStages(JsonGenerator json, String field, List<RawJson> stages) throws IOException {
        json.writeArrayFieldStart(field);
        for (RawJson stage : stages) {
            json.writeRawValue(stage);
        }
        json.writeEndArray();
    }

    private static void writeNumberField(JsonGenerator json, String field, Long value) throws IOException {
        json.writeFieldName(field);
        if (value == null) {
            json.writeNull();
        } else {
            json.writeNumber(value);
        }
    }
}
