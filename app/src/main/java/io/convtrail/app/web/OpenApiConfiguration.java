package io.convtrail.app.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.BooleanSchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.media.UUIDSchema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;

/**
 * The OpenAPI document at {@code /v3/api-docs} (Swagger UI at {@code /swagger-ui.html}). The query
 * endpoints describe themselves with annotations; the message and feedback endpoints read loosely
 * typed bodies so they can answer a precise 400 per field, and their real contract is written here
 * instead of in their code.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    /** The problem+json schema; the query controllers' annotations refer to it by this name. */
    public static final String PROBLEM = "Problem";
    private static final String CONVERSATION_TAG = "conversation";
    private static final String BEARER = "bearer";
    private static final String MESSAGE = "/api/v1/conversation/message";
    private static final String FEEDBACK = "/api/v1/conversation/feedback";
    private static final String ERASURE = "/api/v1/conversations/{id}";

    @Bean
    OpenAPI convtrailOpenApi() {
        return new OpenAPI().info(new Info().title("convtrail").version("v1").description(
                        "ConvEngine-compatible conversation API: run turns, record feedback, read the raw audit and the "
                                + "turn-aware trace. Errors are RFC 9457 problem+json."))
                .components(new Components().addSecuritySchemes(BEARER, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")
                        .description("roles claim: user, auditor, admin; `java -jar convtrail.jar token` makes one")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }

    @Bean
    OpenApiCustomizer conversationContract() {
        return api -> {
            api.getComponents().addSchemas(PROBLEM, problemSchema());
            // the loosely typed request record the message endpoint binds is described by hand below
            api.getComponents().getSchemas().remove("ConversationRequest");
            api.getComponents().getSchemas().remove("JsonNode");
            describeMessage(api.getPaths().get(MESSAGE));
            describeFeedback(api.getPaths().get(FEEDBACK));
            describeErasure(api.getPaths().get(ERASURE));
            Schema<?> stage = api.getComponents().getSchemas().get("TraceStage");
            if (stage != null) {
                // written raw from the read model, so the generator only sees a String
                stage.addProperty("payload", new ObjectSchema().description("the stage payload, _meta included"));
            }
        };
    }

    private static void describeMessage(PathItem path) {
        if (path == null || path.getPost() == null) {
            return;
        }
        Operation post = path.getPost().tags(List.of(CONVERSATION_TAG)).summary("Run a turn").description(
                "Runs one turn of a conversation. Without conversationId a new conversation starts. An engine "
                        + "failure is answered 200 with success:false and payload.type ERROR, as ConvEngine does; "
                        + "an invalid request is a 4xx problem.");
        post.requestBody(jsonBody(new ObjectSchema()
                .addProperty("conversationId", new UUIDSchema().description("omit to start a new conversation"))
                .addProperty("message", new StringSchema().description("the user's text; required unless reset"))
                .addProperty("reset", new BooleanSchema().description("start the conversation over"))
                .addProperty("inputParams", new ObjectSchema().description("extra inputs for the flow"))));
        post.getResponses()
                .addApiResponse("400", problem("a field is missing or malformed (the problem names it)"))
                .addApiResponse("409", problem("another turn of this conversation is still running"))
                .addApiResponse("413", problem("the body, the message or inputParams is over its limit, or the "
                        + "conversation is full"))
                .addApiResponse("429", problem("the conversation started too many turns this minute, or the "
                        + "client sent too many requests (see Retry-After)"))
                .addApiResponse("503", problem("the service is stopping (the turn was refused, or recorded as abandoned)"
                        + " or the database cannot be reached; retry after Retry-After seconds"));
    }

    private static void describeFeedback(PathItem path) {
        if (path == null || path.getPost() == null) {
            return;
        }
        Operation post = path.getPost().tags(List.of(CONVERSATION_TAG)).summary("Record feedback").description(
                "Records a thumbs up or down on an answer as stage MCP_USER_FEEDBACK.");
        post.requestBody(jsonBody(new ObjectSchema()
                .addProperty("conversationId", new UUIDSchema())
                .addProperty("feedbackType", new StringSchema()._enum(List.of("THUMBS_UP", "THUMBS_DOWN")))
                .addProperty("messageId", new StringSchema())
                .addProperty("assistantResponse", new StringSchema())
                .addProperty("metadata", new ObjectSchema())
                .required(List.of("conversationId", "feedbackType"))));
        ApiResponse ok = new ApiResponse().description("recorded").content(new Content().addMediaType(
                org.springframework.http.MediaType.APPLICATION_JSON_VALUE, new MediaType().schema(new ObjectSchema()
                        .addProperty("success", new BooleanSchema())
                        .addProperty("feedbackId", new IntegerSchema().format("int64")
                                .description("the feedback record's sequence in the conversation"))
                        .addProperty("capturedQueryKnowledgeCount", new IntegerSchema().description("always 0"))
                        .addProperty("capturedUserQueryKnowledgeCount", new IntegerSchema().description("always 0"))
                        .addProperty("embeddedUserQueryKnowledgeCount", new IntegerSchema().description("always 0"))
                        .addProperty("message", new StringSchema()))));
        post.getResponses()
                .addApiResponse("200", ok)
                .addApiResponse("400", problem("a field is missing or malformed (the problem names it)"))
                .addApiResponse("404", problem("no conversation with this id"))
                .addApiResponse("413", problem("the body is over its limit, or the conversation is full"));
    }

    private static void describeErasure(PathItem path) {
        if (path == null || path.getDelete() == null) {
            return;
        }
        Operation delete = path.getDelete().tags(List.of(CONVERSATION_TAG)).summary("Erase a conversation (admin)")
                .description("Destroys the conversation's key (crypto-shredding) and records who erased it, when and "
                        + "why: its personal content reads \"[erased]\" from then on, its structure and hash chain stay.");
        delete.getResponses()
                .addApiResponse("400", problem("reason is missing or blank, or the id is not a UUID"))
                .addApiResponse("404", problem("no conversation with this id"))
                .addApiResponse("409", problem("a turn of the conversation is running; retry when it has finished"))
                .addApiResponse("410", problem("the conversation was erased already"))
                .addApiResponse("413", problem("reason is over 500 characters"));
    }

    private static RequestBody jsonBody(Schema<?> schema) {
        return new RequestBody().required(true).content(new Content().addMediaType(
                org.springframework.http.MediaType.APPLICATION_JSON_VALUE, new MediaType().schema(schema)));
    }

    static ApiResponse problem(String description) {
        return new ApiResponse().description(description).content(new Content().addMediaType(
                org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
    }

    private static Schema<?> problemSchema() {
        return new ObjectSchema().description("RFC 9457 problem details")
                .addProperty("type", new StringSchema().example("urn:convtrail:problem:invalid-request"))
                .addProperty("title", new StringSchema().example("Invalid request"))
                .addProperty("status", new IntegerSchema().example(400))
                .addProperty("detail", new StringSchema().example("conversationId must be a UUID"))
                .addProperty("instance", new StringSchema().example("/api/v1/conversation/audit/abc"))
                .addProperty("field", new StringSchema().description("the request field at fault, when one is"));
    }
}
