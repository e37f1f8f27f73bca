package io.convtrail.command.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.api.command.TurnRequester;
import io.convtrail.api.refusal.RefusedException;
import io.convtrail.api.rest.ConversationRequest;
import io.convtrail.api.rest.ConversationResponse;
import io.convtrail.api.rest.ConversationResponse.ResponsePayload;
import io.convtrail.api.rest.ErrorPayload;
import io.convtrail.command.turn.TurnProperties;
import io.convtrail.command.turn.TurnResult;
import io.convtrail.command.turn.TurnService;
import io.convtrail.command.turn.TurnService.TurnRequest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/**
 * ConvEngine's turn endpoint. Every malformed field gets its own 400 before anything is recorded;
 * the turn's result is mapped to ConvEngine's body here, and refusals to problem+json by the advice.
 */
@RestController
@RequestMapping("/api/v1/conversation")
@Tag(name = "conversation")
public class MessageController {

    private final TurnService turns;
    private final TurnProperties properties;
    private final ObjectMapper json;

    public MessageController(TurnService turns, TurnProperties properties, ObjectMapper json) {
        this.turns = turns;
        this.properties = properties;
        this.json = json;
    }

    @Operation(summary = "Run a turn", description = "Runs one turn of a conversation. Without conversationId a "
            + "new conversation starts. An engine failure is answered 200 with success:false and payload.type ERROR, "
            + "as ConvEngine does; an invalid request is a 4xx problem.")
    @ApiResponse(responseCode = "200", description = "the turn's answer (success:false for an engine failure)")
    @ApiResponse(responseCode = "400", description = "a field is missing or malformed (the problem names it)")
    @ApiResponse(responseCode = "409", description = "another turn of this conversation is still running")
    @ApiResponse(responseCode = "413", description = "the body, the message or inputParams is over its limit, or "
            + "the conversation is full")
    @ApiResponse(responseCode = "429", description = "the conversation started too many turns this minute, or the "
            + "client sent too many requests (see Retry-After)")
    @ApiResponse(responseCode = "503", description = "the service is stopping (the turn was refused, or recorded as "
            + "abandoned) or the database cannot be reached; retry after Retry-After seconds")
    @PostMapping(path = "/message", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public ConversationResponse message(@RequestBody ConversationRequest request, HttpServletRequest http) {
        TurnRequest turn = validate(request, Requesters.of(http));
        return response(turn.conversationId(), turns.handle(turn));
    }

    /** ConvEngine's body; a failed turn is HTTP 200 with success false, intent and state ERROR, no context. */
    private ConversationResponse response(UUID conversationId, TurnResult result) {
        if (!result.success()) {
            ErrorPayload error = new ErrorPayload(result.error().errorCode(), result.error().message(),
                    result.error().recoverable());
            return new ConversationResponse(false, conversationId, "ERROR", "ERROR",
                    new ResponsePayload("ERROR", toJson(error)), null);
        }
        ResponsePayload answer = result.answer() == null ? null
                : new ResponsePayload(result.answer().type(), result.answer().value());
        return new ConversationResponse(true, conversationId, result.conversation().intent(),
                result.conversation().state(), answer, toJson(result.conversation().context()));
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value == null ? Map.of() : value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("context or error payload is not serializable", e);
        }
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
