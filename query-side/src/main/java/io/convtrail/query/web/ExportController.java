package io.convtrail.query.web;

import io.convtrail.api.refusal.Refusal;
import io.convtrail.api.refusal.RefusedException;
import io.convtrail.query.export.EventExporter;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.OutputStream;
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/**
 * Exports for compliance audits, as NDJSON (one export line per record, then a summary; schema
 * {@code /schema/export-line.schema.json}). Written on the request thread straight from a database
 * cursor, so no async timeout cuts a long export and nothing is held in memory. Every parameter is
 * checked before the first byte: once streaming, a failure can only end the response early (the
 * missing summary line tells the client).
 */
@RestController
@Tag(name = "export", description = "conversations' records for offline verification and archiving")
public class ExportController {

    public static final String NDJSON = "application/x-ndjson";

    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private static final Logger log = LoggerFactory.getLogger(ExportController.class);

    private final EventExporter exporter;
    private final Clock clock;

    public ExportController(EventExporter exporter, Clock clock) {
        this.exporter = exporter;
        this.clock = clock;
    }

    @Operation(summary = "Export one conversation's record",
            description = "Every stage and verbose record in order, each with its hash, the previous hash and its "
                    + "turn's flow, then a summary line (count, chain head, exportedAt). Verify offline with "
                    + "`java -jar convtrail.jar verify FILE`. Owner, auditors and admins.")
    @ApiResponse(responseCode = "200", description = "the export", content = @Content(mediaType = NDJSON))
    @ApiResponse(responseCode = "400", description = "conversationId is not a UUID")
    @ApiResponse(responseCode = "404", description = "no such conversation (or not yours)")
    @GetMapping(path = "/api/v1/conversation/audit/{conversationId}/export")
    public void conversation(@PathVariable String conversationId, HttpServletResponse response) throws IOException {
        UUID id = QueryParameters.uuid("conversationId", conversationId);
        if (!exporter.exists(id)) {
            throw new RefusedException(Refusal.UNKNOWN_CONVERSATION, "No conversation with id " + id);
        }
        response.setContentType(NDJSON);
        response.setHeader("Content-Disposition", "attachment; filename=\"conversation-" + id + ".jsonl\"");
        stream("Export of conversation " + id, response, out -> exporter.conversation(id, out));
    }

    @Operation(summary = "Export every conversation with events in a time window",
            description = "Each conversation with at least one event in [from, to) is exported whole, in global "
                    + "order; every line carries its global `position`. An interrupted export continues with "
                    + "`after=<the last position received>`. With neither from nor to: every conversation "
                    + "stored when the read begins, streamed at once however large the store. Auditors and admins.")
    @ApiResponse(responseCode = "200", description = "the export", content = @Content(mediaType = NDJSON))
    @ApiResponse(responseCode = "400", description = "from, to or after is invalid, or from is not before to")
    @GetMapping(path = "/api/v1/conversation/export")
    public void window(@Parameter(description = "ISO-8601 instant, inclusive (default: the beginning)")
                       @RequestParam(required = false) String from,
                       @Parameter(description = "ISO-8601 instant, exclusive (default: now; with neither from "
                               + "nor to, every conversation stored when the read begins)")
                       @RequestParam(required = false) String to,
                       @Parameter(description = "continue after this global position (default 0)")
                       @RequestParam(required = false) String after,
                       Principal caller, HttpServletResponse response) throws IOException {
        Instant start = from == null ? Instant.EPOCH : instant("from", from);
        Instant end = to == null ? clock.instant() : instant("to", to);
        if (!start.isBefore(end)) {
            throw QueryParameters.invalid("from", "must be before to");
        }
        long resumeAfter = position(after);
        response.setContentType(NDJSON);
        // neither bound: the whole store, read along its global order so the first rows go out at once (a window
        // first reads the events inside it to find its conversations: for one spanning the store, every event)
        boolean wholeStore = from == null && to == null;
        String what = (wholeStore ? "Export of the whole store" : "Export of [" + start + ", " + end + ")")
                + " after " + resumeAfter + " by " + (caller == null ? "anonymous" : caller.getName());
        long records = stream(what, response, wholeStore
                ? out -> exporter.all(resumeAfter, out)
                : out -> exporter.window(start, end, resumeAfter, out));
        if (records >= 0) {
            // the access log is per conversation; a window export is accounted for here, in one line
            log.info("{}: {} records", what, records);
        }
    }

    /** Something that writes an export and answers how many records it wrote. */
    private interface Export {
        long writeTo(OutputStream out) throws IOException;
    }

    /**
     * Once the first bytes are out, a failure cannot become a problem response: the export ends early
     * (no summary line) and one log line says why. A client that went away is not an error.
     */
    private static long stream(String what, HttpServletResponse response, Export export) throws IOException {
        try {
            return export.writeTo(response.getOutputStream());
        } catch (IOException e) {
            log.info("{} ended early: the client went away", what);
        } catch (RuntimeException e) {
            if (!response.isCommitted()) {
                throw e;
            }
            log.warn("{} ended early: {}", what, e.toString());
        }
        return -1;
    }

    private static Instant instant(String name, String text) {
        Instant parsed;
        try {
            parsed = Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw QueryParameters.invalid(name, "must be an ISO-8601 instant such as 2026-01-31T00:00:00Z");
        }
        // beyond these, JDBC or PostgreSQL would fail on the value (a 500), not the caller's fault to learn that way
        if (parsed.isBefore(EARLIEST) || parsed.isAfter(LATEST)) {
            throw QueryParameters.invalid(name, "must be between " + EARLIEST + " and " + LATEST);
        }
        return parsed;
    }

    private static long position(String text) {
        if (text == null) {
            return 0;
        }
        try {
            long value = Long.parseLong(text);
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below, like a negative number
        }
        throw QueryParameters.invalid("after", "must be a global position (a whole number, 0 or more)");
    }
}
