package io.convtrail.query.web;

import io.convtrail.query.store.EventPositions;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** Subject access: which conversations does a person have, so they can be exported (or erased) per person. */
@RestController
@Tag(name = "export", description = "conversations' records for offline verification and archiving")
public class SubjectController {

    static final int MAX_SUBJECT = 255;

    private final EventPositions events;

    public SubjectController(EventPositions events) {
        this.events = events;
    }

    @Operation(summary = "A person's conversations",
            description = "The conversations whose first turn was posted by this `sub`, oldest first. The user "
                    + "themself, auditors and admins.")
    @ApiResponse(responseCode = "200", description = "the conversations (empty when there are none)")
    @ApiResponse(responseCode = "400", description = "sub is blank or too long")
    @GetMapping(path = "/api/v1/users/{sub}/conversations", produces = MediaType.APPLICATION_JSON_VALUE)
    public List<EventPositions.ConversationSpan> of(@Parameter(description = "the person's token subject")
                                                   @PathVariable String sub) {
        if (sub.isBlank() || sub.length() > MAX_SUBJECT) {
            throw QueryParameters.invalid("sub", "must be 1 to " + MAX_SUBJECT + " characters");
        }
        return events.ownedBy(sub);
    }
}
