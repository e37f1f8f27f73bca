package io.convtrail.command.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.convtrail.api.Stage;
import io.convtrail.api.command.RecordFeedbackCommand;
import jakarta.servlet.http.HttpServletRequest;
import io.convtrail.api.refusal.RefusedException;
import io.convtrail.command.turn.TurnProperties;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** ConvEngine's feedback endpoint: a thumbs up or down on an answer, recorded as MCP_USER_FEEDBACK. */
@RestController
@RequestMapping("/api/v1/conversation")
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

    @PostMapping(path = "/feedback", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> feedback(@RequestBody JsonNode body, HttpServletRequest http) {
        if (body == null || !body.isObject()) {
            throw RefusedException.invalid("body", "the request body must be a JSON object");
        }
        JsonNode id = body.get("conversationId");
        if (id == null || !id.isTextual()) {
            throw RefusedException.invalid("conversationId", "is required and must be a UUID string");
        }
        UUID conversationId = Uuids.parse("conversationId", id.asText());
        JsonNode type = body.get("feedbackType");
        if (type == null || !type.isTextual() || !FEEDBACK_TYPES.contains(type.asText())) {
            throw RefusedException.invalid("feedbackType", "must be THUMBS_UP or THUMBS_DOWN");
        }
        JsonNode metadata = body.get("metadata");
        if (metadata != null && !metadata.isNull() && !metadata.isObject()) {
            throw RefusedException.invalid("metadata", "must be a JSON object");
        }
        Instant at = clock.instant();
        Long feedbackId = commands.sendAndWait(new RecordFeedbackCommand(conversationId,
                payload(conversationId, body, at), at, limits.maxConversationRecords(), Requesters.of(http)));
        return response(feedbackId);
    }

    /**
     * ConvEngine's ConversationFeedbackResponse. convtrail keeps no query-knowledge store, so its three
     * counters are always 0; feedbackId is the feedback record's sequence in the conversation.
     */
    private static Map<String, Object> response(long feedbackId) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("success", true);
        response.put("feedbackId", feedbackId);
        response.put("capturedQueryKnowledgeCount", 0);
        response.put("capturedUserQueryKnowledgeCount", 0);
        response.put("embeddedUserQueryKnowledgeCount", 0);
        response.put("message", "Feedback saved.");
        return response;
    }

    private String payload(UUID conversationId, JsonNode body, Instant at) {
        ObjectNode payload = json.createObjectNode();
        ObjectNode meta = payload.putObject("_meta");
        meta.put("stage", Stage.MCP_USER_FEEDBACK.name());
        meta.put("conversationId", conversationId.toString());
        meta.putNull("turnId");
        meta.put("emittedAt", at.toString());
        for (String field : new String[]{"feedbackType", "messageId", "assistantResponse", "metadata"}) {
            JsonNode value = body.get(field);
            payload.set(field, value == null ? json.nullNode() : value);
        }
        try {
            return json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("feedback payload is not serializable", e);
        }
    }
}
