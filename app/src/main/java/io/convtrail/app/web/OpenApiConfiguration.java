package io.convtrail.app.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document at {@code /v3/api-docs} (Swagger UI at {@code /swagger-ui.html}): what every
 * endpoint shares (the bearer scheme, the problem+json schema). Each endpoint describes itself with
 * annotations, and the request and response records in {@code api-contract} carry their own schema.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    /** The problem+json schema: the content of every 4xx and 5xx answer in the document. */
    public static final String PROBLEM = "Problem";
    private static final String BEARER = "bearer";

    @Bean
    OpenAPI convtrailOpenApi() {
        return new OpenAPI().info(new Info().title("convtrail").version("v1").description(
                        "ConvEngine-compatible conversation API: run turns, record feedback, read the raw audit and the "
                                + "turn-aware trace. Errors are RFC 9457 problem+json.")
                        .license(new License().name("Apache-2.0").url("https://www.apache.org/licenses/LICENSE-2.0")))
                .components(new Components().addSecuritySchemes(BEARER, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")
                        .description("roles claim: user, auditor, admin; `java -jar convtrail.jar token` makes one")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }

    @Bean
    OpenApiCustomizer conversationContract() {
        return api -> {
            api.getComponents().addSchemas(PROBLEM, problemSchema());
            answerProblems(api);
            // the request records' fields are JSON trees whose @Schema names their real type
            api.getComponents().getSchemas().remove("JsonNode");
            Schema<?> stage = api.getComponents().getSchemas().get("TraceStage");
            if (stage != null) {
                // written raw from the read model, so the generator only sees a String
                stage.addProperty("payload", new ObjectSchema().description("the stage payload, _meta included"));
            }
        };
    }

    /**
     * Every 4xx and 5xx an endpoint declares is answered as problem+json by the one advice, so the
     * document says so here once instead of in each {@code @ApiResponse}.
     */
    private static void answerProblems(OpenAPI api) {
        if (api.getPaths() == null) {
            return;
        }
        api.getPaths().values().forEach(path -> path.readOperations().forEach(operation -> {
            if (operation.getResponses() != null) {
                operation.getResponses().forEach((code, response) -> {
                    if (code.startsWith("4") || code.startsWith("5")) {
                        response.setContent(new Content().addMediaType(
                                org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
                    }
                });
            }
        }));
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
