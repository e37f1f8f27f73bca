package io.convtrail.query.web;

import io.convtrail.api.Stage;
import io.convtrail.api.query.FindConversationAuditQuery;
import io.convtrail.api.rest.AuditRow;
import io.convtrail.query.audit.AuditJson;
import io.convtrail.query.audit.AuditProjection;
import io.convtrail.query.consistency.ReadConsistency;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
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

/** ConvEngine's raw audit: every stage row of a conversation in auditId order. */
@RestController
@RequestMapping("/api/v1/conversation/audit")
@Tag(name = "audit", description = "the raw audit and the trace of a conversation")
public class AuditController {

    static final int MAX_LIMIT = 10_000;

    private final AuditJson audit;
    private final ReadConsistency consistency;

    public AuditController(AuditJson audit, ReadConsistency consistency) {
        this.audit = audit;
        this.consistency = consistency;
    }

    /**
     * Without parameters, the whole audit. {@code afterAuditId} and {@code limit} page through it;
     * {@code stage} keeps one stage.
     */
    @Operation(summary = "Raw audit of a conversation",
            description = "ConvEngine's raw audit rows, strictly in auditId order; verbose messages are not "
                    + "audit rows. An unknown conversation answers `[]`. Without parameters the whole audit; "
                    + "page with `afterAuditId` (the last auditId you have) and `limit`.")
    @ApiResponse(responseCode = "200", description = "the audit rows", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, array = @ArraySchema(schema = @Schema(implementation = AuditRow.class))))
    @ApiResponse(responseCode = "400", description = "conversationId is not a UUID, or a parameter is invalid")
    @ApiResponse(responseCode = "503", description = "the read model has not yet applied every event of the "
            + "conversation (within convtrail.read.consistency-timeout), or holds one in quarantine; see Retry-After")
    @GetMapping(path = "/{conversationId}", produces = MediaType.APPLICATION_JSON_VALUE)
    public void audit(@Parameter(description = "the conversation's UUID") @PathVariable String conversationId,
                                @Parameter(description = "only rows with a larger auditId")
                                @RequestParam(required = false) Long afterAuditId,
                                @Parameter(description = "at most this many rows (1 to " + MAX_LIMIT + ")")
                                @RequestParam(required = false) Integer limit,
                                @Parameter(description = "only rows of this stage, e.g. USER_INPUT")
                                @RequestParam(required = false) String stage,
                                HttpServletResponse response) throws IOException {
        UUID id = QueryParameters.uuid("conversationId", conversationId);
        if (limit != null && (limit < 1 || limit > MAX_LIMIT)) {
            throw QueryParameters.invalid("limit", "must be between 1 and " + MAX_LIMIT);
        }
        Stage only = stage == null ? null : stageNamed(stage);
        consistency.awaitProjected(AuditProjection.PROCESSING_GROUP, id);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        audit.write(new FindConversationAuditQuery(id, afterAuditId, limit, only), response.getOutputStream());
    }

    private static Stage stageNamed(String name) {
        for (Stage s : Stage.values()) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw QueryParameters.invalid("stage", "is not a known stage: " + name);
    }
}
