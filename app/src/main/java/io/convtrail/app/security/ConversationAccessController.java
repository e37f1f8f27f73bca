package io.convtrail.app.security;

import io.convtrail.api.ConversationIds;
import io.convtrail.api.refusal.RefusedException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.UUID;

/** Accountability: who among auditors and admins read a conversation (auditor, admin). */
@RestController
@Tag(name = "audit")
class ConversationAccessController {

    private final ConversationAccessLog accessLog;

    ConversationAccessController(ConversationAccessLog accessLog) {
        this.accessLog = accessLog;
    }

    @Operation(summary = "Reads of a conversation by auditors and admins",
            description = "Every read of the conversation by an auditor or an admin, oldest first: who (`subject`, "
                    + "`roles`), when, and through which channel (`http`, `sse`, `stomp`) and endpoint. "
                    + "Auditor and admin only.")
    @GetMapping(path = "/api/v1/conversation/audit/{conversationId}/access", produces = MediaType.APPLICATION_JSON_VALUE)
    List<ConversationAccessLog.Access> access(@PathVariable String conversationId) {
        UUID id = ConversationIds.parse(conversationId)
                .orElseThrow(() -> RefusedException.invalid("conversationId", "must be a UUID"));
        return accessLog.of(id);
    }
}
