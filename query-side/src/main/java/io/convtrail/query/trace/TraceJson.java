package io.convtrail.query.trace;

import io.convtrail.api.rest.ConversationTrace;
import io.convtrail.api.rest.TracePage;
import io.convtrail.query.json.JsonBytes;
import io.convtrail.query.trace.TraceRows.StepRow;
import io.convtrail.query.trace.TraceRows.TurnRow;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.UUID;

/**
 * Writes a trace straight to the answer's stream, byte for byte what Jackson writes for
 * {@link ConversationTrace} and {@link TracePage}, without building the records: a 10,000-stage trace
 * is 9 MB, and the tree of records and its reflective serialization were most of its cost. Every stage
 * is rendered to UTF-8 once, as its row is read ({@link RenderedStages}), and copied from there into the
 * up to three places it appears; its payload (JSON the read model stores) is copied as it is, never
 * parsed. The answer goes out in chunks of {@value #CHUNK_BYTES} bytes, and the flat list of stages
 * straight from the blocks they were rendered into, so its whole text is never held twice.
 */
final class TraceJson {

    private static final int CHUNK_BYTES = 64 * 1024;

    /** The trace to write: its turns and steps, its stages rendered, and how they group. */
    record Rendered(List<TurnRow> turns, List<StepRow> steps, RenderedStages stages, TraceGroups groups) {
    }

    /** What the page adds in front of the trace's lists. */
    record Paging(int fromTurn, Integer lastTurn, Integer nextFromTurn, String next) {
    }

    /** The rows grouped ({@link TraceGroups}), the stages as they were rendered. */
    Rendered render(List<TurnRow> turns, List<StepRow> steps, RenderedStages stages) {
        return new Rendered(turns, steps, stages, TraceGroups.of(turns, steps, stages));
    }

    /** Writes {@link ConversationTrace}, or {@link TracePage} when {@code paging} is given. */
    void write(UUID conversationId, Paging paging, Rendered trace, OutputStream out) throws IOException {
        Chunks json = new Chunks(out);
        json.bytes.ascii("{\"conversationId\":\"").ascii(conversationId.toString()).put('"');
        if (paging != null) {
            json.bytes.ascii(",\"fromTurn\":").number(paging.fromTurn()).ascii(",\"lastTurn\":");
            number(json.bytes, paging.lastTurn());
            json.bytes.ascii(",\"nextFromTurn\":");
            number(json.bytes, paging.nextFromTurn());
            json.bytes.ascii(",\"next\":").string(paging.next());
        }
        json.bytes.ascii(",\"steps\":[");
        for (int p = 0; p < trace.steps().size(); p++) {
            if (p > 0) {
                json.bytes.put(',');
            }
            writeStep(json, trace, p);
        }
        json.bytes.ascii("],\"stages\":[");
        json.flush();
        trace.stages().writeAll(out);
        json.bytes.ascii("],\"turns\":[");
        for (int t = 0; t < trace.turns().size(); t++) {
            if (t > 0) {
                json.bytes.put(',');
            }
            writeTurn(json, trace, t);
        }
        json.bytes.ascii("]}");
        json.flush();
    }

    private static void writeStep(Chunks json, Rendered trace, int step) throws IOException {
        StepRow row = trace.steps().get(step);
        json.bytes.ascii("{\"step\":").string(row.step()).ascii(",\"stepClass\":").string(row.stepClass())
                .ascii(",\"sourceFile\":").string(row.sourceFile()).ascii(",\"status\":\"").ascii(row.status().name())
                .ascii("\",\"startedAt\":").instant(row.startedAt()).ascii(",\"endedAt\":").instant(row.endedAt())
                .ascii(",\"durationMs\":");
        number(json.bytes, row.durationMs());
        json.bytes.ascii(",\"error\":").string(row.error());
        writeStages(json, ",\"stages\":[", trace, trace.groups().firstStageOf(step));
        json.bytes.put('}');
    }

    private static void writeTurn(Chunks json, Rendered trace, int turn) throws IOException {
        TurnRow row = trace.turns().get(turn);
        json.bytes.ascii("{\"turnId\":\"").ascii(row.turnId().toString()).ascii("\",\"index\":").number(row.index())
                .ascii(",\"userText\":").string(row.userText()).ascii(",\"startedAt\":").instant(row.startedAt())
                .ascii(",\"endedAt\":").instant(row.endedAt()).ascii(",\"durationMs\":");
        number(json.bytes, TraceAssembler.durationMs(row));
        json.bytes.ascii(",\"intent\":").string(row.intent()).ascii(",\"state\":").string(row.state())
                .ascii(",\"status\":\"").ascii(row.status().name()).ascii("\",\"outcome\":").string(row.outcome())
                .ascii(",\"steps\":[");
        TraceGroups groups = trace.groups();
        for (int p = groups.firstStepOf(turn); p != TraceGroups.NONE; p = groups.nextStep(p)) {
            if (p != groups.firstStepOf(turn)) {
                json.bytes.put(',');
            }
            writeStep(json, trace, p);
        }
        json.bytes.put(']');
        writeStages(json, ",\"stagesOutsideSteps\":[", trace, groups.firstOutsideStepsOf(turn));
        json.bytes.put('}');
    }

    /** The chain of stages from {@code first} on, as a list. */
    private static void writeStages(Chunks json, String opening, Rendered trace, int first) throws IOException {
        json.bytes.ascii(opening);
        for (int s = first; s != TraceGroups.NONE; s = trace.groups().nextStage(s)) {
            if (s != first) {
                json.bytes.put(',');
            }
            trace.stages().copy(s, json.bytes);
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
        private final OutputStream out;

        Chunks(OutputStream out) {
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
