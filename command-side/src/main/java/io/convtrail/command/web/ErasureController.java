package io.convtrail.command.web;

import io.convtrail.api.refusal.RefusedException;
import io.convtrail.api.rest.ErasureReceipt;
import io.convtrail.command.privacy.ConversationErasure;
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
@RequestMapping("/api/v1/conversations")
public class ErasureController {

    static final int MAX_REASON_LENGTH = 500;

    private final ConversationErasure erasure;

    public ErasureController(ConversationErasure erasure) {
        this.erasure = erasure;
    }

    @DeleteMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public ErasureReceipt erase(@PathVariable("id") String id, @RequestParam(name = "reason", required = false)
    String reason, HttpServletRequest http) {
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
