package io.convtrail.query.web;

import io.convtrail.api.query.VerifyConversationChainQuery;
import io.convtrail.api.refusal.Refusal;
import io.convtrail.api.refusal.RefusedException;
import io.convtrail.api.rest.ChainVerification;
import io.convtrail.query.audit.AuditProjection;
import io.convtrail.query.consistency.ReadConsistency;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.UUID;

/** For compliance audits: is a conversation's record still exactly what the engine wrote? */
@RestController
@RequestMapping("/api/v1/conversation/audit")
@Tag(name = "audit", description = "the raw audit and the trace of a conversation")
public class ChainController {

    private final QueryGateway queries;
    private final ReadConsistency consistency;

    public ChainController(QueryGateway queries, ReadConsistency consistency) {
        this.queries = queries;
        this.consistency = consistency;
    }

    @Operation(summary = "Verify a conversation's hash chain",
            description = "Recomputes every record's SHA-256 link from the event store and from the raw audit. "
                    + "`intact` is false, with the first broken sequence and why, when anything was edited, "
                    + "removed or reordered. Note `headHash` to prove later that nothing before it changed.")
    @ApiResponse(responseCode = "200", description = "the verification")
    @ApiResponse(responseCode = "503", description = "the read model has not yet applied every event of the "
            + "conversation (within convtrail.read.consistency-timeout), or holds one in quarantine; see Retry-After")
    @GetMapping(path = "/{conversationId}/verify", produces = MediaType.APPLICATION_JSON_VALUE)
    public ChainVerification verify(@PathVariable String conversationId) {
        UUID id = QueryParameters.uuid("conversationId", conversationId);
        // the chain is checked against the raw audit too, so that read model must hold every record
        consistency.awaitProjected(AuditProjection.PROCESSING_GROUP, id);
        ChainVerification result = queries.query(new VerifyConversationChainQuery(id),
                ResponseTypes.instanceOf(ChainVerification.class)).join();
        if (result == null) {
            throw new RefusedException(Refusal.UNKNOWN_CONVERSATION, "No conversation with id " + id);
        }
        return result;
    }
}
