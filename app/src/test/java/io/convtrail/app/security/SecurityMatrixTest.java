package io.convtrail.app.security;

import io.convtrail.testsupport.store.EventStoreProbe;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.app.security.Callers.Caller;
import io.convtrail.app.security.Callers.Kind;
import io.convtrail.app.stream.SseTestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every role × every HTTP endpoint and the SSE stream × own and another user's conversation × every
 * kind of bad token, against the running service with real clients. The endpoints come from the
 * application's own request mappings: one without a rule here fails the test, so nobody adds an
 * endpoint without deciding who may call it.
 */
@ConvtrailIntegrationTest
class SecurityMatrixTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    EventStoreProbe storeProbe;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final ObjectMapper json = new ObjectMapper();
    UUID own;
    UUID other;

    @BeforeEach
    void twoUsersEachStartAConversation() throws Exception {
        own = UUID.randomUUID();
        other = UUID.randomUUID();
        assertThat(post("/api/v1/conversation/message", message(own), Callers.all().get(0).authorization()).statusCode())
                .isEqualTo(200);
        assertThat(post("/api/v1/conversation/message", message(other), Callers.other().authorization()).statusCode())
                .isEqualTo(200);
    }

    @Test
    void everyEndpointOfTheApplicationHasARule() {
        Set<String> mapped = new TreeSet<>();
        for (RequestMappingInfoHandlerMapping mapping : context.getBeansOfType(RequestMappingInfoHandlerMapping.class).values()) {
            for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
                Set<String> methods = info.getMethodsCondition().getMethods().isEmpty() ? Set.of("GET")
                        : info.getMethodsCondition().getMethods().stream().map(Enum::name)
                        .collect(java.util.stream.Collectors.toSet());
                for (String pattern : info.getPatternValues()) {
                    methods.forEach(method -> mapped.add(method + " " + pattern));
                }
            }
        }
        Set<String> ruled = new TreeSet<>(EndpointRules.keys());
        assertThat(mapped).as("endpoints of the running application that have no rule in EndpointRules")
                .isSubsetOf(ruled);
        assertThat(ruled).as("rules for endpoints the application no longer has").isSubsetOf(mapped);
    }

    @Test
    void everyCallerGetsExactlyWhatItsRoleAllowsOnEveryEndpoint() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (EndpointRules.Endpoint endpoint : EndpointRules.ALL) {
            if (endpoint.rule() == EndpointRules.Rule.STREAM) {
                continue; // stream(): with a real SSE client
            }
            for (boolean ownConversation : endpoint.perConversation() ? List.of(true, false) : List.of(true)) {
                for (Caller caller : Callers.all()) {
                    UUID target = ownConversation ? own : other;
                    long eventsBefore = events(target);
                    int expected = EndpointRules.expected(endpoint, caller.kind(), ownConversation);
                    HttpResponse<String> answer = call(endpoint, caller, target);
                    String what = endpoint.key() + (endpoint.perConversation() ? (ownConversation ? " own" : " other") : "")
                            + " as " + caller;
                    if (answer.statusCode() != expected) {
                        wrong.add(what + ": expected " + expected + ", got " + answer.statusCode() + " " + answer.body());
                        continue;
                    }
                    if (answer.statusCode() == 401 || answer.statusCode() == 403 || answer.statusCode() == 404) {
                        if (!endpoint.method().equals("HEAD")) { // a HEAD answer has no body, by HTTP
                            checkProblem(what, answer, wrong);
                        }
                        if (events(target) != eventsBefore) {
                            wrong.add(what + ": refused, yet events were recorded");
                        }
                    }
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void theStreamAnswersBeforeItsFirstByteAndARefusedOneCarriesNoEvent() throws Exception {
        List<String> wrong = new ArrayList<>();
        EndpointRules.Endpoint stream = EndpointRules.ALL.stream()
                .filter(e -> e.rule() == EndpointRules.Rule.STREAM).findFirst().orElseThrow();
        for (boolean ownConversation : List.of(true, false)) {
            for (Caller caller : Callers.all()) {
                for (boolean inQuery : List.of(false, true)) {
                    if (inQuery && caller.token() == null) {
                        continue;
                    }
                    UUID target = ownConversation ? own : other;
                    int expected = EndpointRules.expected(stream, caller.kind(), ownConversation);
                    String query = "?replay=true" + (inQuery ? "&access_token=" + caller.token() : "");
                    URI uri = URI.create("http://localhost:" + port + "/api/v1/conversation/stream/" + target + query);
                    Map<String, String> headers = inQuery || caller.authorization() == null ? Map.of()
                            : Map.of("Authorization", caller.authorization());
                    String what = "SSE " + (ownConversation ? "own" : "other") + " as " + caller
                            + (inQuery ? " (access_token parameter)" : " (header)");
                    HttpResponse<InputStream> response = SseTestClient.attempt(http, uri, headers);
                    if (response.statusCode() != expected) {
                        wrong.add(what + ": expected " + expected + ", got " + response.statusCode());
                        response.body().close();
                        continue;
                    }
                    if (expected == 200) {
                        try (SseTestClient sse = SseTestClient.reading(response)) {
                            assertThat(sse.next(WAIT).name()).as(what).isEqualTo("CONNECTED");
                            assertThat(sse.next(WAIT).id()).as(what + ": the replay").isEqualTo("1");
                        }
                    } else {
                        String body = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
                        assertThat(response.headers().firstValue("Content-Type")).as(what).hasValue("application/problem+json");
                        if (body.contains("\nid:") || body.contains("event:") || body.contains("data:")) {
                            wrong.add(what + ": a refused stream carried events: " + body);
                        }
                    }
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void theAccessTokenParameterIsForTheStreamOnly() throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/api/v1/conversation/audit/" + own + "?access_token=" + Callers.all().get(0).token())).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.body()).doesNotContain(Callers.all().get(0).token());
    }

    @Test
    void anotherUsersConversationLooksExactlyLikeOneThatDoesNotExist() throws Exception {
        Caller alice = Callers.all().get(0);
        for (String path : List.of("/api/v1/conversation/audit/%s", "/api/v1/conversation/audit/%s/trace",
                "/api/v1/conversation/audit/%s/verify")) {
            HttpResponse<String> others = get(path.formatted(other), alice);
            UUID unknown = UUID.randomUUID();
            HttpResponse<String> missing = get(path.formatted(unknown), alice);
            assertThat(others.statusCode()).isEqualTo(404).isEqualTo(missing.statusCode());
            assertThat(others.body().replace(other.toString(), "X"))
                    .isEqualTo(missing.body().replace(unknown.toString(), "X"));
        }
        HttpResponse<String> post = post("/api/v1/conversation/feedback",
                "{\"conversationId\":\"" + other + "\",\"feedbackType\":\"THUMBS_UP\"}", alice.authorization());
        HttpResponse<String> postMissing = post("/api/v1/conversation/feedback",
                "{\"conversationId\":\"" + UUID.randomUUID() + "\",\"feedbackType\":\"THUMBS_UP\"}",
                alice.authorization());
        assertThat(post.statusCode()).isEqualTo(404);
        assertThat(json.readTree(post.body()).get("title").asText())
                .isEqualTo(json.readTree(postMissing.body()).get("title").asText());
    }

    @Test
    void responsesCarryTheBrowserHardeningHeaders() throws Exception {
        for (String path : List.of("/", "/js/main.js", "/api/v1/conversation/audit/" + own)) {
            HttpResponse<String> answer = get(path, Callers.all().get(2));
            assertThat(answer.statusCode()).as(path).isEqualTo(200);
            assertThat(answer.headers().firstValue("Content-Security-Policy")).as(path)
                    .hasValueSatisfying(csp -> assertThat(csp).contains("script-src 'self'").doesNotContain("unsafe-inline"));
            assertThat(answer.headers().firstValue("X-Frame-Options")).as(path).hasValue("DENY");
            assertThat(answer.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
            assertThat(answer.headers().firstValue("Referrer-Policy")).as(path).hasValue("no-referrer");
        }
    }

    private void checkProblem(String what, HttpResponse<String> answer, List<String> wrong) {
        try {
            JsonNode problem = json.readTree(answer.body());
            if (!answer.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")
                    || problem.get("status").asInt() != answer.statusCode()) {
                wrong.add(what + ": not a problem+json answer: " + answer.body());
            }
            if (answer.statusCode() == 401 && answer.headers().firstValue("WWW-Authenticate").isEmpty()) {
                wrong.add(what + ": 401 without WWW-Authenticate");
            }
            if (answer.body().contains("Exception") || answer.body().contains("\tat ")) {
                wrong.add(what + ": a stack trace or exception in the answer");
            }
        } catch (Exception e) {
            wrong.add(what + ": body is not JSON: " + answer.body());
        }
    }

    private HttpResponse<String> call(EndpointRules.Endpoint endpoint, Caller caller, UUID conversation) throws Exception {
        String path = endpoint.path().replace("{id}", conversation.toString());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(WAIT);
        if (caller.authorization() != null) {
            request.header("Authorization", caller.authorization());
        }
        if (endpoint.method().equals("POST")) {
            String body = caller.kind() == Kind.ADMIN ? endpoint.adminBody() : endpoint.body();
            request.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.replace("{id}", conversation.toString())));
        } else {
            request.method(endpoint.method(), HttpRequest.BodyPublishers.noBody());
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, Caller caller) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET();
        if (caller.authorization() != null) {
            request.header("Authorization", caller.authorization());
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body, String authorization) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json").header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String message(UUID conversation) {
        return "{\"conversationId\":\"" + conversation + "\",\"message\":\"What are your interest rates?\"}";
    }

    private long events(UUID conversation) {
        return storeProbe.events(conversation);
    }
}
