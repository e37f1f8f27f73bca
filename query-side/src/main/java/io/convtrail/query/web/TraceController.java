package io.convtrail.query.web;

import io.convtrail.api.query.FindConversationTraceQuery;
import io.convtrail.api.rest.ConversationTrace;
import io.convtrail.query.consistency.ReadConsistency;
import io.convtrail.query.trace.TraceProjection;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.UUID;

/** ConvEngine's trace of a conversation, grouped by turn as well. */
@RestController
@RequestMapping("/api/v1/conversation/audit")
@Tag(name = "audit")
public class TraceController {

    private final QueryGateway queries;
    private final ReadConsistency consistency;

    public TraceController(QueryGateway queries, ReadConsistency consistency) {
        this.queries = queries;
        this.consistency = consistency;
    }

    @Operation(summary = "Trace of a conversation",
            description = "ConvEngine's trace: `steps` (each STEP_ENTER with its STEP_EXIT or STEP_ERROR, and the "
                    + "stages recorded inside it) and the flat `stages` with parsed payloads, plus `turns`, "
                    + "each with its steps. All in auditId order; an unknown conversation has empty lists.")
    @ApiResponse(responseCode = "200", description = "the trace")
    @ApiResponse(responseCode = "400", description = "conversationId is not a UUID")
    @ApiResponse(responseCode = "503", description = "the read model has not yet applied every event of the "
            + "conversation (within convtrail.read.consistency-timeout), or holds one in quarantine; see Retry-After")
    @GetMapping(path = "/{conversationId}/trace", produces = MediaType.APPLICATION_JSON_VALUE)
    public ConversationTrace trace(@Parameter(description = "the conversation's UUID") @PathVariable String conversationId) {
        UUID id = QueryParameters.uuid("conversationId", conversationId);
        consistency.awaitProjected(TraceProjection.PROCESSING_GROUP, id);
        return queries.query(new FindConversationTraceQuery(id), ConversationTrace.class).join();
    }
}
