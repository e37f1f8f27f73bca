package io.convtrail.query.web;

import io.convtrail.api.event.TurnOutcome;
import io.convtrail.api.query.FindConversationsQuery;
import io.convtrail.api.rest.ConversationPage;
import io.convtrail.api.rest.ConversationSummary;
import io.convtrail.api.security.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.security.Principal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Finding conversations: the index, filtered and paged newest first. A user sees only their own; an
 * auditor or admin every one. The caller is read through the servlet API (Spring Security puts the
 * token's {@code sub} and roles there), so this module does not depend on the security library.
 */
@RestController
@Tag(name = "conversations", description = "find conversations")
public class ConversationListController {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;
    static final int MAX_TEXT = 255;

    private final QueryGateway queries;

    public ConversationListController(QueryGateway queries) {
        this.queries = queries;
    }

    @Operation(summary = "Find conversations",
            description = "Conversations of the index, newest (latest started) first, `limit` per page; `nextCursor` "
                    + "continues the list (null on the last page). Every filter is optional and they combine: "
                    + "`from`/`to` keep conversations active within that window (ISO-8601), `intent` and `state` "
                    + "match the last turn's, `outcome` keeps those with at least one turn of it, `flowVersion` "
                    + "the SHA-256 of the flow that answered the latest turn, `q` text contained in one of the "
                    + "user's messages (ignoring case). A user sees only their own conversations (`owner`, when "
                    + "given, must be themself); auditors and admins see all. The index is a read model: a turn "
                    + "shows up a moment after it is answered.")
    @ApiResponse(responseCode = "200", description = "a page of conversations")
    @ApiResponse(responseCode = "400", description = "a filter, the cursor or the limit is invalid",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(ref = "#/components/schemas/Problem")))
    @GetMapping(path = "/api/v1/conversations", produces = MediaType.APPLICATION_JSON_VALUE)
    public ConversationPage list(HttpServletRequest request,
                                 @Parameter(description = "active at or after this instant (ISO-8601)")
                                 @RequestParam(required = false) String from,
                                 @Parameter(description = "active before this instant (ISO-8601)")
                                 @RequestParam(required = false) String to,
                                 @Parameter(description = "the last turn's intent") @RequestParam(required = false) String intent,
                                 @Parameter(description = "the last turn's state") @RequestParam(required = false) String state,
                                 @Parameter(description = "answered, failed, abandoned or blocked: at least one turn of it")
                                 @RequestParam(required = false) String outcome,
                                 @Parameter(description = "the flow's SHA-256 (the audit's flowHash)")
                                 @RequestParam(required = false) String flowVersion,
                                 @Parameter(description = "the owner's token subject") @RequestParam(required = false) String owner,
                                 @Parameter(description = "text contained in one of the user's messages")
                                 @RequestParam(required = false) String q,
                                 @Parameter(description = "the nextCursor of the previous page")
                                 @RequestParam(required = false) String cursor,
                                 @Parameter(description = "conversations per page, 1 to " + MAX_LIMIT + " (default "
                                         + DEFAULT_LIMIT + ")")
                                 @RequestParam(required = false) Integer limit) {
        int pageSize = limit == null ? DEFAULT_LIMIT : limit;
        if (pageSize < 1 || pageSize > MAX_LIMIT) {
            throw QueryParameters.invalid("limit", "must be between 1 and " + MAX_LIMIT);
        }
        Instant activeFrom = instant("from", from);
        Instant activeTo = instant("to", to);
        if (activeFrom != null && activeTo != null && !activeFrom.isBefore(activeTo)) {
            throw QueryParameters.invalid("from", "must be before to");
        }
        FindConversationsQuery query = new FindConversationsQuery(activeFrom, activeTo, text("intent", intent),
                text("state", state), outcome(outcome), text("flowVersion", flowVersion), owner(request, owner),
                text("q", q), cursor == null ? null : ConversationCursor.decode(cursor), pageSize + 1);
        List<ConversationSummary> found = queries.query(query,
                ResponseTypes.multipleInstancesOf(ConversationSummary.class)).join();
        if (found.size() <= pageSize) {
            return new ConversationPage(found, null);
        }
        List<ConversationSummary> page = found.subList(0, pageSize);
        ConversationSummary last = page.get(pageSize - 1);
        return new ConversationPage(List.copyOf(page), ConversationCursor.encode(
                new FindConversationsQuery.Position(Instant.parse(last.startedAt()), last.conversationId())));
    }

    /** A user lists their own conversations; with security off (no principal) every conversation is listed. */
    private static String owner(HttpServletRequest request, String owner) {
        String asked = text("owner", owner);
        Principal caller = request.getUserPrincipal();
        if (caller == null || request.isUserInRole(Role.AUDITOR.name()) || request.isUserInRole(Role.ADMIN.name())) {
            return asked;
        }
        if (asked != null && !asked.equals(caller.getName())) {
            throw QueryParameters.invalid("owner", "a user lists only their own conversations");
        }
        return caller.getName();
    }

    private static Instant instant(String name, String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw QueryParameters.invalid(name, "must be an ISO-8601 instant, e.g. 2026-01-31T12:00:00Z");
        }
    }

    private static TurnOutcome outcome(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        for (TurnOutcome outcome : TurnOutcome.values()) {
            if (outcome.name().equalsIgnoreCase(text)) {
                return outcome;
            }
        }
        throw QueryParameters.invalid("outcome", "must be one of answered, failed, abandoned, blocked");
    }

    /** Empty means no filter; PostgreSQL text cannot hold NUL. */
    private static String text(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() > MAX_TEXT) {
            throw QueryParameters.invalid(name, "must be at most " + MAX_TEXT + " characters");
        }
        if (value.indexOf('\u0000') >= 0) {
            throw QueryParameters.invalid(name, "must not contain NUL");
        }
        return value;
    }
}
