package io.convtrail.command.web;

import io.convtrail.api.refusal.RefusedException;
import io.convtrail.api.rest.ErasureReceipt;
import io.convtrail.command.privacy.ConversationErasure;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.security.Principal;

/**
 * Erasure on request (GDPR art. 17), admins only: {@code DELETE /api/v1/conversations/{id}?reason=…}.
 * The reason is a query parameter, not a body, since DELETE bodies are dropped by some proxies and clients.
 */
@RestController
@Tag(name = "conversation")
@RequestMapping("/api/v1/conversations")
public class ErasureController {

    static final int MAX_REASON_LENGTH = 500;

    private final ConversationErasure erasure;

    public ErasureController(ConversationErasure erasure) {
        this.erasure = erasure;
    }

    @DeleteMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Erase a conversation (admin)", description = "Destroys the conversation's key "
            + "(crypto-shredding) and records who erased it, when and why: its personal content reads \"[erased]\" "
            + "from then on; its structure and hash chain stay.")
    @ApiResponse(responseCode = "200", description = "erased: who, when, why, and whether content was shredded")
    @ApiResponse(responseCode = "400", description = "reason is missing or blank, or the id is not a UUID")
    @ApiResponse(responseCode = "404", description = "no conversation with this id")
    @ApiResponse(responseCode = "409", description = "a turn of the conversation is running; retry when it has finished")
    @ApiResponse(responseCode = "410", description = "the conversation was erased already")
    @ApiResponse(responseCode = "413", description = "reason is over 500 characters")
    public ErasureReceipt erase(@PathVariable("id") String id,
                                @Parameter(description = "why it is erased (required, at most 500 characters)")
                                @RequestParam(name = "reason", required = false) String reason,
                                HttpServletRequest http) {
        if (reason == null || reason.isBlank()) {
            throw RefusedException.invalid("reason", "is required: say why the conversation is erased");
        }
        if (reason.length() > MAX_REASON_LENGTH) {
            throw RefusedException.tooLarge("reason", "is longer than " + MAX_REASON_LENGTH + " characters");
        }
        Principal caller = http.getUserPrincipal();
        return erasure.erase(Uuids.parse("id", id), caller == null ? "anonymous" : caller.getName(), reason.strip());
    }
}
