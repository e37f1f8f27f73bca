package io.convtrail.api.export;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.UUID;

/**
 * One record of an export (schema: {@code /schema/export-line.schema.json}). {@code payload} is the
 * record's content exactly as it was hashed (a stage's payload JSON text; a verbose message as JSON),
 * so a verifier recomputes {@code hash} from this line and the previous one's hash alone.
 * {@code position} is the event's global position (equal to {@code auditId}); an interrupted
 * export of a window continues with {@code after=<position of the last line received>}.
 * {@code readable} is the payload as a reader sees it (personal values opened, or {@code "[erased]"}
 * after an erasure): a convenience outside the chain, since the hash covers what is stored, sealed.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ExportLine(
        String type,
        long position,
        UUID conversationId,
        long sequence,
        long auditId,
        UUID turnId,
        String stage,
        String createdAt,
        String payload,
        String hash,
        String previousHash,
        String flowId,
        String flowHash,
        JsonNode readable) {

    public static final String TYPE = "record";

    /** The stage name of a verbose record (it is not an audit stage). */
    public static final String VERBOSE = "VERBOSE";
}
