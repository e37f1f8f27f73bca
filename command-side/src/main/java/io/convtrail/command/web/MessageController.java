package io.convtrail.command.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.api.command.TurnRequester;
import io.convtrail.api.refusal.RefusedException;
import io.convtrail.api.rest.ConversationRequest;
import io.convtrail.api.rest.ConversationResponse;
import io.convtrail.command.turn.TurnProperties;
import io.convtrail.command.turn.TurnService;
import io.convtrail.command.turn.TurnService.TurnRequest;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/** ConvEngine's turn endpoint. Every malformed field gets its own 400 before anything is recorded. */
@RestController
@RequestMapping("/api/v1/conversation")
public class MessageController {

    private final TurnService turns;
    private final TurnProperties properties;
    private final ObjectMapper json;

    public MessageController(TurnService turns, TurnProperties properties, ObjectMapper json) {
        this.turns = turns;
        this.properties = properties;
        this.json = json;
    }

    @PostMapping(path = "/message", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public ConversationResponse message(@RequestBody ConversationRequest request, HttpServletRequest http) {
        return turns.handle(validate(request, Requesters.of(http)));
    }

    TurnRequest validate(ConversationRequest request, TurnRequester requester) {
        if (request == null) {
            throw RefusedException.invalid("body", "the request body must be a JSON object");
        }
        boolean reset = readReset(request.reset());
        String message = readMessage(request.message(), reset);
        return new TurnRequest(readConversationId(request.conversationId()), message, reset,
                readInputParams(request.inputParams()), requester);
    }

    private static UUID readConversationId(JsonNode node) {
        if (isAbsent(node)) {
            return UUID.randomUUID();
        }
        if (!node.isTextual()) {
            throw RefusedException.invalid("conversationId", "must be a UUID string");
        }
        return Uuids.parse("conversationId", node.asText());
    }

    private String readMessage(JsonNode node, boolean reset) {
        if (isAbsent(node) || (node.isTextual() && node.asText().isBlank())) {
            if (reset) {
                return null;
            }
            throw RefusedException.invalid("message", "is required and must not be blank (unless reset is true)");
        }
        if (!node.isTextual()) {
            throw RefusedException.invalid("message", "must be a string");
        }
        String text = node.asText();
        long limit = properties.maxMessageSize().toBytes();
        if (utf8Length(text) > limit) {
            throw RefusedException.tooLarge("message", "is longer than the limit of " + limit + " bytes");
        }
        return text;
    }

    private static boolean readReset(JsonNode node) {
        if (isAbsent(node)) {
            return false;
        }
        if (!node.isBoolean()) {
            throw RefusedException.invalid("reset", "must be true or false");
        }
        return node.booleanValue();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> readInputParams(JsonNode node) {
        if (isAbsent(node)) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw RefusedException.invalid("inputParams", "must be a JSON object");
        }
        long limit = properties.maxInputParamsSize().toBytes();
        if (utf8Length(node.toString()) > limit) {
            throw RefusedException.tooLarge("inputParams", "is larger than the limit of " + limit + " bytes");
        }
        return json.convertValue(node, Map.class);
    }

    private static long utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static boolean isAbsent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

}
