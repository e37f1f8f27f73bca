package io.convtrail.query.trace;

import io.convtrail.api.Stage;
import io.convtrail.api.privacy.ContentOpener;
import io.convtrail.query.json.JsonBytes;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A trace's stages rendered as the driver hands over their rows, each once, as Jackson writes a
 * {@link io.convtrail.api.rest.TraceStage}: no object per row is kept but the turn's id, and no pass over
 * the rows sizes a buffer first. The JSON goes into blocks that double from {@value #FIRST_BLOCK_BYTES}
 * bytes up to {@value #MAX_BLOCK_BYTES} (a 10,000-stage trace's 5 MB in one array would be allocated
 * outside the young generation, and a page's few stages would not fill it), the stages of a block
 * separated by commas, so that the flat list of stages is written block by block as it lies. A payload
 * with nothing to open is copied from its stored bytes; one with sealed values (or of an erased
 * conversation) is opened first.
 */
final class RenderedStages implements TraceGroups.StagePlaces {

    private static final int FIRST_BLOCK_BYTES = 64 * 1024;
    private static final int MAX_BLOCK_BYTES = 1024 * 1024;
    /** A rendered stage's bytes besides its payload: field names, auditId, stage, timestamp. */
    private static final int STAGE_BYTES = 128;
    private static final byte[][] BRACKETS = {utf8(Stage.STEP_ENTER), utf8(Stage.STEP_EXIT), utf8(Stage.STEP_ERROR)};

    private final ContentOpener opener;
    private final List<JsonBytes> blocks = new ArrayList<>();
    private JsonBytes block;
    private int blockBytes;
    private int count;
    private int[] blockOf = new int[256];
    private int[] from = new int[256];
    private int[] to = new int[256];
    private long[] stepIds = new long[256];
    private UUID[] turnIds = new UUID[256];
    private boolean[] brackets = new boolean[256];

    RenderedStages(ContentOpener opener) {
        this.opener = opener;
    }

    /**
     * Renders a stage, the next in auditId order. {@code stepId} is {@link TraceGroups#NO_STEP} outside
     * steps; {@code stage} and {@code payload} are the stored UTF-8 (a stage name is ASCII, escaped as any
     * string all the same).
     */
    void add(long auditId, UUID turnId, long stepId, byte[] stage, Instant createdAt, byte[] payload) {
        byte[] opened = opener.stagePayload(payload);
        int length = STAGE_BYTES + (opened == null ? 0 : opened.length);
        if (block == null || (block.size() > 0 && block.size() + length > blockBytes)) {
            blockBytes = block == null ? FIRST_BLOCK_BYTES : Math.min(blockBytes * 2, MAX_BLOCK_BYTES);
            block = new JsonBytes(Math.max(blockBytes, length));
            blocks.add(block);
        } else if (block.size() > 0) {
            block.put(',');
        }
        if (count == from.length) {
            grow();
        }
        blockOf[count] = blocks.size() - 1;
        from[count] = block.size();
        block.ascii("{\"auditId\":").number(auditId).ascii(",\"stage\":").string(stage)
                .ascii(",\"createdAt\":").instant(createdAt).ascii(",\"payload\":");
        if (opened == null) {
            block.nullValue();
        } else {
            block.raw(opened);
        }
        block.put('}');
        to[count] = block.size();
        stepIds[count] = stepId;
        turnIds[count] = turnId;
        brackets[count] = isBracket(stage);
        count++;
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public long stepId(int stage) {
        return stepIds[stage];
    }

    @Override
    public UUID turnId(int stage) {
        return turnIds[stage];
    }

    @Override
    public boolean bracket(int stage) {
        return brackets[stage];
    }

    /** Appends a stage's JSON to {@code json}. */
    void copy(int stage, JsonBytes json) {
        json.raw(blocks.get(blockOf[stage]), from[stage], to[stage]);
    }

    /** Writes every stage, comma-separated, in order: the flat list's elements. */
    void writeAll(OutputStream out) throws IOException {
        for (int b = 0; b < blocks.size(); b++) {
            if (b > 0) {
                out.write(',');
            }
            blocks.get(b).writeTo(out);
        }
    }

    private void grow() {
        int length = from.length * 2;
        blockOf = Arrays.copyOf(blockOf, length);
        from = Arrays.copyOf(from, length);
        to = Arrays.copyOf(to, length);
        stepIds = Arrays.copyOf(stepIds, length);
        turnIds = Arrays.copyOf(turnIds, length);
        brackets = Arrays.copyOf(brackets, length);
    }

    private static boolean isBracket(byte[] stage) {
        for (byte[] bracket : BRACKETS) {
            if (Arrays.equals(stage, bracket)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] utf8(Stage stage) {
        return stage.name().getBytes(StandardCharsets.UTF_8);
    }
}
