package io.convtrail.command.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.api.command.RecordFeedbackCommand;
import io.convtrail.api.refusal.RefusedException;
import io.convtrail.api.rest.FeedbackRequest;
import io.convtrail.api.rest.FeedbackResponse;
import io.convtrail.api.stage.UserFeedback;
import io.convtrail.command.turn.TurnProperties;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** ConvEngine's feedback endpoint: a thumbs up or down on an answer, recorded as MCP_USER_FEEDBACK. */
@RestController
@RequestMapping("/api/v1/conversation")
@Tag(name = "conversation")
public class FeedbackController {

    private static final Set<String> FEEDBACK_TYPES = Set.of("THUMBS_UP", "THUMBS_DOWN");

    private final CommandGateway commands;
    private final ObjectMapper json;
    private final Clock clock;
    private final TurnProperties limits;

    public FeedbackController(CommandGateway commands, ObjectMapper json, Clock clock, TurnProperties limits) {
        this.commands = commands;
        this.json = json;
        this.clock = clock;
        this.limits = limits;
    }

    /** Bound as a JSON tree first, so a body that is not an object gets the same field-named 400 as a bad field. */
    @Operation(summary = "Record feedback", description = "Records a thumbs up or down on an answer as stage "
            + "MCP_USER_FEEDBACK.")
    @ApiResponse(responseCode = "200", description = "recorded")
    @ApiResponse(responseCode = "400", description = "a field is missing or malformed (the problem names it)")
    @ApiResponse(responseCode = "404", description = "no conversation with this id")
    @ApiResponse(responseCode = "413", description = "the body is over its limit, or the conversation is full")
    @PostMapping(path = "/feedback", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public FeedbackResponse feedback(
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = FeedbackRequest.class)))
            @RequestBody JsonNode body, HttpServletRequest http) {
        FeedbackRequest request = read(body);
        JsonNode id = request.conversationId();
        if (id == null || !id.isTextual()) {
            throw RefusedException.invalid("conversationId", "is required and must be a UUID string");
        }
        UUID conversationId = Uuids.parse("conversationId", id.asText());
        JsonNode type = request.feedbackType();
        if (type == null || !type.isTextual() || !FEEDBACK_TYPES.contains(type.asText())) {
            throw RefusedException.invalid("feedbackType", "must be THUMBS_UP or THUMBS_DOWN");
        }
        JsonNode metadata = request.metadata();
        if (metadata != null && !metadata.isNull() && !metadata.isObject()) {
            throw RefusedException.invalid("metadata", "must be a JSON object");
        }
        Instant at = clock.instant();
        long feedbackId = commands.sendAndWait(new RecordFeedbackCommand(conversationId,
                new UserFeedback(type.asText(), request.messageId(), request.assistantResponse(), metadata), at,
                limits.maxConversationRecords(), Requesters.of(http)));
        return FeedbackResponse.saved(feedbackId);
    }

    private FeedbackRequest read(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw RefusedException.invalid("body", "the request body must be a JSON object");
        }
        try {
            return json.treeToValue(body, FeedbackRequest.class);
        } catch (JsonProcessingException e) {
            throw RefusedException.invalid("body", "the request body must be a JSON object"); // every field is a tree
        }
    }
}
