package io.convtrail.query.trace;

import io.convtrail.api.privacy.ContentOpener;
import io.convtrail.api.rest.ConversationTrace;
import io.convtrail.api.rest.TracePage;
import io.convtrail.query.json.JsonBytes;
import io.convtrail.query.trace.TraceAssembler.Grouped;
import io.convtrail.query.trace.TraceRows.StepRow;
import io.convtrail.query.trace.TraceRows.StoredStage;
import io.convtrail.query.trace.TraceRows.TurnRow;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.UUID;

/**
 * Writes a trace straight to the answer's stream, byte for byte what Jackson writes for
 * {@link ConversationTrace} and {@link TracePage}, without building the records: a 10,000-stage trace
 * is 9 MB, and the tree of records and its reflective serialization were most of its cost. Every stage
 * is rendered to UTF-8 once, into one buffer for all of them, and copied from there into the up to
 * three places it appears; its payload (JSON the read model stores) is copied as it is, never parsed.
 * The answer goes out in chunks of {@value #CHUNK_BYTES} bytes, so its whole text is never held.
 */
final class TraceJson {

    private static final int CHUNK_BYTES = 64 * 1024;
    /** A rendered stage's bytes besides its payload: field names, auditId, stage, timestamp. */
    private static final int STAGE_BYTES = 128;

    /** A rendered stage: where its JSON lies in the stages' buffer. */
    record StageSpan(int from, int to) {
    }

    /** A step to write: its row and its rendered stages. */
    record StepOut(StepRow row, List<StageSpan> stages) {
    }

    /** A turn to write: its row, its steps and its rendered stages outside steps. */
    record TurnOut(TurnRow row, List<StepOut> steps, List<StageSpan> stagesOutsideSteps) {
    }

    /** The grouped trace, its stages rendered in {@code stages}. */
    record Rendered(JsonBytes stages, Grouped<StageSpan, StepOut, TurnOut> grouped) {
    }

    /** What the page adds in front of the trace's lists. */
    record Paging(int fromTurn, Integer lastTurn, Integer nextFromTurn, String next) {
    }

    /**
     * The rows grouped, each stage rendered once: a payload with nothing to open is copied from the
     * stored bytes, one with sealed values (or of an erased conversation) is opened first.
     */
    Rendered render(List<TurnRow> turns, List<StepRow> steps, List<StoredStage> stages, ContentOpener opener) {
        JsonBytes buffer = new JsonBytes(expectedSize(stages));
        Grouped<StageSpan, StepOut, TurnOut> grouped = TraceAssembler.group(turns, steps, stages,
                new TraceAssembler.Parts<>() {
                    @Override
                    public StageSpan stage(StoredStage row) {
                        int from = buffer.size();
                        buffer.ascii("{\"auditId\":").number(row.auditId()).ascii(",\"stage\":").string(row.stage())
                                .ascii(",\"createdAt\":").instant(row.createdAt()).ascii(",\"payload\":");
                        byte[] payload = opener.stagePayload(row.payloadUtf8());
                        if (payload == null) {
                            buffer.nullValue();
                        } else {
                            buffer.raw(payload);
                        }
                        buffer.put('}');
                        return new StageSpan(from, buffer.size());
                    }

                    @Override
                    public StepOut step(StepRow row, List<StageSpan> stagesOfStep) {
                        return new StepOut(row, stagesOfStep);
                    }

                    @Override
                    public TurnOut turn(TurnRow row, List<StepOut> stepsOfTurn, List<StageSpan> stagesOutsideSteps) {
                        return new TurnOut(row, stepsOfTurn, stagesOutsideSteps);
                    }
                });
        return new Rendered(buffer, grouped);
    }

    /**
     * The rendered stages' size, a little over: one buffer of the right size instead of growing one. An
     * opened payload is shorter than its sealed text.
     */
    private static int expectedSize(List<StoredStage> stages) {
        long bytes = 0;
        for (StoredStage stage : stages) {
            bytes += STAGE_BYTES + (stage.payloadUtf8() == null ? 0 : stage.payloadUtf8().length);
        }
        return (int) Math.min(bytes, Integer.MAX_VALUE - 16);
    }

    /** Writes {@link ConversationTrace}, or {@link TracePage} when {@code paging} is given. */
    void write(UUID conversationId, Paging paging, Rendered trace, OutputStream out) throws IOException {
        Chunks json = new Chunks(trace.stages(), out);
        json.bytes.ascii("{\"conversationId\":\"").ascii(conversationId.toString()).put('"');
        if (paging != null) {
            json.bytes.ascii(",\"fromTurn\":").number(paging.fromTurn()).ascii(",\"lastTurn\":");
            number(json.bytes, paging.lastTurn());
            json.bytes.ascii(",\"nextFromTurn\":");
            number(json.bytes, paging.nextFromTurn());
            json.bytes.ascii(",\"next\":").string(paging.next());
        }
        json.bytes.ascii(",\"steps\":[");
        List<StepOut> steps = trace.grouped().steps();
        for (int i = 0; i < steps.size(); i++) {
            if (i > 0) {
                json.bytes.put(',');
            }
            writeStep(json, steps.get(i));
        }
        json.bytes.put(']');
        writeStages(json, ",\"stages\":[", trace.grouped().stages());
        json.bytes.ascii(",\"turns\":[");
        List<TurnOut> turns = trace.grouped().turns();
        for (int i = 0; i < turns.size(); i++) {
            if (i > 0) {
                json.bytes.put(',');
            }
            writeTurn(json, turns.get(i));
        }
        json.bytes.ascii("]}");
        json.flush();
    }

    private static void writeStep(Chunks json, StepOut step) throws IOException {
        StepRow row = step.row();
        json.bytes.ascii("{\"step\":").string(row.step()).ascii(",\"stepClass\":").string(row.stepClass())
                .ascii(",\"sourceFile\":").string(row.sourceFile()).ascii(",\"status\":\"").ascii(row.status().name())
                .ascii("\",\"startedAt\":").instant(row.startedAt()).ascii(",\"endedAt\":").instant(row.endedAt())
                .ascii(",\"durationMs\":");
        number(json.bytes, row.durationMs());
        json.bytes.ascii(",\"error\":").string(row.error());
        writeStages(json, ",\"stages\":[", step.stages());
        json.bytes.put('}');
    }

    private static void writeTurn(Chunks json, TurnOut turn) throws IOException {
        TurnRow row = turn.row();
        json.bytes.ascii("{\"turnId\":\"").ascii(row.turnId().toString()).ascii("\",\"index\":").number(row.index())
                .ascii(",\"userText\":").string(row.userText()).ascii(",\"startedAt\":").instant(row.startedAt())
                .ascii(",\"endedAt\":").instant(row.endedAt()).ascii(",\"durationMs\":");
        number(json.bytes, TraceAssembler.durationMs(row));
        json.bytes.ascii(",\"intent\":").string(row.intent()).ascii(",\"state\":").string(row.state())
                .ascii(",\"status\":\"").ascii(row.status().name()).ascii("\",\"outcome\":").string(row.outcome())
                .ascii(",\"steps\":[");
        for (int i = 0; i < turn.steps().size(); i++) {
            if (i > 0) {
                json.bytes.put(',');
            }
            writeStep(json, turn.steps().get(i));
        }
        json.bytes.put(']');
        writeStages(json, ",\"stagesOutsideSteps\":[", turn.stagesOutsideSteps());
        json.bytes.put('}');
    }

    private static void writeStages(Chunks json, String opening, List<StageSpan> stages) throws IOException {
        json.bytes.ascii(opening);
        for (int i = 0; i < stages.size(); i++) {
            if (i > 0) {
                json.bytes.put(',');
            }
            StageSpan stage = stages.get(i);
            json.bytes.raw(json.stages, stage.from(), stage.to());
            json.flushIfFull();
        }
        json.bytes.put(']');
    }

    private static void number(JsonBytes json, Number value) {
        if (value == null) {
            json.nullValue();
        } else {
            json.number(value.longValue());
        }
    }

    /** The answer's bytes so far, sent whenever a chunk is full. */
    private static final class Chunks {

        private final JsonBytes bytes = new JsonBytes(CHUNK_BYTES + 4096);
        private final JsonBytes stages;
        private final OutputStream out;

        Chunks(JsonBytes stages, OutputStream out) {
            this.stages = stages;
            this.out = out;
        }

        void flushIfFull() throws IOException {
            if (bytes.size() >= CHUNK_BYTES) {
                flush();
            }
        }

        void flush() throws IOException {
            bytes.writeTo(out);
            bytes.clear();
        }
    }
}
