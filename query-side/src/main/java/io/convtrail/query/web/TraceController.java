package io.convtrail.query.web;

import io.convtrail.api.rest.ConversationTrace;
import io.convtrail.api.rest.TracePage;
import io.convtrail.query.consistency.ReadConsistency;
import io.convtrail.query.trace.TraceProjection;
import io.convtrail.query.trace.TraceReader;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.util.UUID;

/** ConvEngine's trace of a conversation, grouped by turn as well; whole or a page of turns. */
@RestController
@RequestMapping("/api/v1/conversation/audit")
@Tag(name = "audit")
public class TraceController {

    static final int DEFAULT_TURNS_PER_PAGE = 20;

    private final TraceReader traces;
    private final ReadConsistency consistency;

    public TraceController(TraceReader traces, ReadConsistency consistency) {
        this.traces = traces;
        this.consistency = consistency;
    }

    @Operation(summary = "Trace of a conversation",
            description = "ConvEngine's trace: `steps` (each STEP_ENTER with its STEP_EXIT or STEP_ERROR, and the "
                    + "stages recorded inside it) and the flat `stages` with parsed payloads, plus `turns`, "
                    + "each with its steps. All in auditId order; an unknown conversation has empty lists. "
                    + "With `fromTurn` or `turns`, a page of turns (a TracePage: the same lists for those turns "
                    + "only, plus `lastTurn` and the `next` page's path), whose cost does not grow with the "
                    + "conversation's length.")
    @ApiResponse(responseCode = "200", description = "the trace (a ConversationTrace), or a page of it (a TracePage)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(oneOf = {ConversationTrace.class, TracePage.class})))
    @ApiResponse(responseCode = "400", description = "conversationId is not a UUID, or a paging parameter is invalid")
    @ApiResponse(responseCode = "503", description = "the read model has not yet applied every event of the "
            + "conversation (within convtrail.read.consistency-timeout), or holds one in quarantine; see Retry-After")
    @GetMapping(path = "/{conversationId}/trace", produces = MediaType.APPLICATION_JSON_VALUE)
    public void trace(@Parameter(description = "the conversation's UUID") @PathVariable String conversationId,
                      @Parameter(description = "page: the first turn's index (turns count from 1)")
                      @RequestParam(required = false) Integer fromTurn,
                      @Parameter(description = "page: at most this many turns (1 to " + TraceReader.MAX_TURNS_PER_PAGE
                              + ", default " + DEFAULT_TURNS_PER_PAGE + ")")
                      @RequestParam(required = false) Integer turns,
                      HttpServletResponse response) throws IOException {
        UUID id = QueryParameters.uuid("conversationId", conversationId);
        if (fromTurn != null && fromTurn < 1) {
            throw QueryParameters.invalid("fromTurn", "must be 1 or more");
        }
        if (turns != null && (turns < 1 || turns > TraceReader.MAX_TURNS_PER_PAGE)) {
            throw QueryParameters.invalid("turns", "must be between 1 and " + TraceReader.MAX_TURNS_PER_PAGE);
        }
        consistency.awaitProjected(TraceProjection.PROCESSING_GROUP, id);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        if (fromTurn == null && turns == null) {
            traces.writeTrace(id, response.getOutputStream());
        } else {
            int perPage = turns == null ? DEFAULT_TURNS_PER_PAGE : turns;
            traces.writePage(id, fromTurn == null ? 1 : fromTurn, perPage,
                    next -> "/api/v1/conversation/audit/" + id + "/trace?fromTurn=" + next + "&turns=" + perPage,
                    response.getOutputStream());
        }
    }
}
