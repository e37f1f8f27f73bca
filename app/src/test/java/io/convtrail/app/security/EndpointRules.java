package io.convtrail.app.security;

import io.convtrail.app.security.Callers.Kind;

import java.util.List;

/**
 * Who may call each endpoint of the application, as the matrix test expects it. A new endpoint
 * needs a line here (the test fails otherwise), which is the moment to decide its rule.
 */
final class EndpointRules {

    enum Rule {
        /** anyone, even without a token */
        PUBLIC,
        /** any of user, auditor, admin */
        ANY_ROLE,
        ADMIN,
        /** user (its own conversation; another's is 404) and admin */
        POST_OWN,
        /** user (its own conversation; another's is 404), auditor, admin */
        READ_OWN,
        /** the SSE stream: READ_OWN, checked with an SSE client */
        STREAM,
        AUDITOR_ADMIN,
        /** the person named in the path (the owner caller), auditor, admin; another user: 403 */
        SUBJECT
    }

    /**
     * {@code path} is what the test calls ({@code {id}}: the conversation), {@code body} what it posts
     * ({@code adminBody} for admins, when the normal body would change the service: a rebuild), and
     * {@code granted} the status a caller who may call it gets.
     */
    record Endpoint(String method, String pattern, Rule rule, String path, String body, String adminBody, int granted) {
        String key() {
            return method + " " + pattern;
        }

        boolean perConversation() {
            return path.contains("{id}");
        }
    }

    private static final String MESSAGE = "{\"conversationId\":\"{id}\",\"message\":\"hello\"}";
    private static final String FEEDBACK = "{\"conversationId\":\"{id}\",\"feedbackType\":\"THUMBS_UP\"}";

    static final List<Endpoint> ALL = List.of(
            post("/api/v1/conversation/message", Rule.POST_OWN, "/api/v1/conversation/message", MESSAGE, 200),
            post("/api/v1/conversation/feedback", Rule.POST_OWN, "/api/v1/conversation/feedback", FEEDBACK, 200),
            get("/api/v1/conversation/audit/{conversationId}", Rule.READ_OWN, "/api/v1/conversation/audit/{id}", 200),
            get("/api/v1/conversation/audit/{conversationId}/trace", Rule.READ_OWN,
                    "/api/v1/conversation/audit/{id}/trace", 200),
            get("/api/v1/conversation/audit/{conversationId}/verify", Rule.READ_OWN,
                    "/api/v1/conversation/audit/{id}/verify", 200),
            get("/api/v1/conversation/audit/{conversationId}/export", Rule.READ_OWN,
                    "/api/v1/conversation/audit/{id}/export", 200),
            get("/api/v1/conversation/export", Rule.AUDITOR_ADMIN, "/api/v1/conversation/export", 200),
            get("/api/v1/users/{sub}/conversations", Rule.SUBJECT, "/api/v1/users/" + Callers.OWNER + "/conversations", 200),
            get("/api/v1/conversations", Rule.ANY_ROLE, "/api/v1/conversations", 200),
            get("/api/v1/overview", Rule.AUDITOR_ADMIN, "/api/v1/overview", 200),
            get("/api/v1/conversation/audit/{conversationId}/access", Rule.AUDITOR_ADMIN,
                    "/api/v1/conversation/audit/{id}/access", 200),
            get("/api/v1/conversation/stream/{conversationId}", Rule.STREAM, "/api/v1/conversation/stream/{id}", 200),
            // erasure: the call names no reason, so refused callers are refused before it is read and the admin
            // gets 400; nothing is erased here (ErasureTest erases, with a reason)
            new Endpoint("DELETE", "/api/v1/conversations/{id}", Rule.ADMIN, "/api/v1/conversations/{id}", null, null,
                    400),
            get("/v3/api-docs", Rule.ANY_ROLE, "/v3/api-docs", 200),
            get("/v3/api-docs.yaml", Rule.ANY_ROLE, "/v3/api-docs.yaml", 200),
            get("/v3/api-docs/swagger-config", Rule.ANY_ROLE, "/v3/api-docs/swagger-config", 200),
            get("/swagger-ui.html", Rule.ANY_ROLE, "/swagger-ui.html", 302),
            // called directly, the error page is a path without an endpoint, for everyone
            get("/error", Rule.PUBLIC, "/error", 404),
            new Endpoint("HEAD", "/api/v1/conversation/stream/{conversationId}", Rule.READ_OWN,
                    "/api/v1/conversation/stream/{id}", null, null, 200),
            get("/actuator", Rule.ADMIN, "/actuator", 200),
            get("/actuator/health", Rule.PUBLIC, "/actuator/health", 200),
            get("/actuator/health/**", Rule.PUBLIC, "/actuator/health/liveness", 200),
            get("/actuator/info", Rule.ADMIN, "/actuator/info", 200),
            get("/actuator/metrics", Rule.ADMIN, "/actuator/metrics", 200),
            get("/actuator/metrics/{requiredMetricName}", Rule.ADMIN, "/actuator/metrics/jvm.threads.live", 200),
            get("/actuator/projections", Rule.ADMIN, "/actuator/projections", 200),
            // a scrape is a call like any other: Prometheus sends an admin token (authorization.credentials_file)
            get("/actuator/prometheus", Rule.ADMIN, "/actuator/prometheus", 200),
            // refused callers ask for a real rebuild, which must change nothing; the admin names an
            // unknown projection (400), so this test does not rebuild the shared read models
            new Endpoint("POST", "/actuator/projections", Rule.ADMIN, "/actuator/projections", "{}",
                    "{\"projection\":\"no-such-projection\"}", 400));

    private EndpointRules() {
    }

    static List<String> keys() {
        return ALL.stream().map(Endpoint::key).toList();
    }

    static int expected(Endpoint endpoint, Kind caller, boolean ownConversation) {
        if (caller == Kind.BAD_TOKEN) {
            return 401; // a token that is sent must be valid, even where none is needed
        }
        if (endpoint.rule() == Rule.PUBLIC) {
            return endpoint.granted();
        }
        if (caller == Kind.ANONYMOUS) {
            return 401;
        }
        if (caller == Kind.NO_ROLE) {
            return 403;
        }
        return switch (endpoint.rule()) {
            case ANY_ROLE -> endpoint.granted();
            case ADMIN -> caller == Kind.ADMIN ? endpoint.granted() : 403;
            case POST_OWN -> switch (caller) {
                case ADMIN -> endpoint.granted();
                case OWNER -> ownConversation ? endpoint.granted() : 404;
                default -> 403;
            };
            case READ_OWN, STREAM -> caller == Kind.OWNER && !ownConversation ? 404 : endpoint.granted();
            case AUDITOR_ADMIN -> caller == Kind.OWNER ? 403 : endpoint.granted();
            case SUBJECT -> caller == Kind.OWNER && !ownConversation ? 403 : endpoint.granted();
            case PUBLIC -> endpoint.granted();
        };
    }

    private static Endpoint get(String pattern, Rule rule, String path, int granted) {
        return new Endpoint("GET", pattern, rule, path, null, null, granted);
    }

    private static Endpoint post(String pattern, Rule rule, String path, String body, int granted) {
        return new Endpoint("POST", pattern, rule, path, body, body, granted);
    }
}
