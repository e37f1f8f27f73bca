package io.convtrail.testsupport.fuzz;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Generates hostile HTTP requests against a list of endpoints, reproducibly from a seed: malformed
 * and lenient JSON, wrong types, NUL, control characters and lone surrogates, huge and deeply nested
 * bodies, bad ids, query parameters and headers, and methods the endpoint does not take. Every
 * request it makes is invalid, so the data behind the service must not change (it reads existing
 * conversations only by random ids, which exist nowhere). Plain JDK, so the bench can use it too.
 */
public final class HostileRequests {

    /** An endpoint as the application maps it: a method (null: any) and a path pattern with {variables}. */
    public record Endpoint(String method, String pattern) {
    }

    /** One request to send; {@code path} is already percent-encoded. */
    public record Request(String method, String path, Map<String, String> headers, byte[] body) {

        /**
         * Sends it and waits for the whole answer at most {@code deadline}: a request timeout alone ends at
         * the headers, and a stream opened by mistake would never end. Throws IllegalArgumentException for
         * a header value the JDK client refuses to send.
         */
        public HttpResponse<byte[]> send(HttpClient http, String baseUrl, Duration deadline) throws Exception {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(deadline)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach(builder::header);
            return http.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofByteArray())
                    .get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        }

        public String describe() {
            String shown = body == null ? "" : new String(body, 0, Math.min(body.length, 120), StandardCharsets.UTF_8);
            return method + " " + (path.length() > 160 ? path.substring(0, 160) + "…" : path) + " " + headers.keySet()
                    + (body == null ? "" : " body[" + body.length + "]=" + shown.replaceAll("\\p{Cntrl}", "?"));
        }
    }

    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"};
    private static final String[] BAD_IDS = {"abc", "1-1-1-1-1", "%00", "00000000-0000-0000-0000-00000000000g",
            "%ED%A0%80", "..%2F..%2Fetc%2Fpasswd", "%0d%0aX-Injected:%201", "-1", "99999999999999999999",
            "%7B%22a%22%3A1%7D", "%F0%9F%92%B6", "%C0%AF", "x".repeat(3000), " ", "null"};
    private static final String[] BAD_POSITIONS = {"-1", "abc", "1.5", "99999999999999999999", "", "0x10", "1e3",
            "%00", "+-1", " 1 2", "NaN"};
    private static final String[] BAD_TEXTS = {"\\u0000", "a\\u0000b", "\\ud800", "x\\udc00y", "\\udbff\\u0041"};
    private static final String[] CONTROL = {"\\u0001", "\\u0007", "\\u001b[31m", "\\n\\tat evil.Frame(Evil.java:1)",
            "\\r\\n\\r\\nHTTP/1.1 200 OK", "\\u007f", "\\u2028"};

    /** Authorization headers a client may get wrong: each must be a clean 401, never a 5xx. */
    private static final String[] BAD_AUTHORIZATIONS = {"Bearer", "Bearer ", "Bearer x.y.z", "Basic YTpi",
            "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "bearer \u0000", "Bearer " + "A".repeat(9000), "Token abc"};

    private final Random random;
    private final List<Endpoint> endpoints;
    private final String authorization;

    /**
     * @param authorization a valid {@code Authorization} header value: most requests carry it, so that
     *                      the hostile part reaches the endpoints behind authentication; the rest carry
     *                      none or a malformed one
     */
    public HostileRequests(long seed, List<Endpoint> endpoints, String authorization) {
        this.random = new Random(seed);
        this.authorization = authorization;
        // sorted, so that a seed names the same requests however the application listed its mappings
        this.endpoints = endpoints.stream().distinct()
                .sorted(java.util.Comparator.comparing(Endpoint::pattern)
                        .thenComparing(e -> String.valueOf(e.method())))
                .toList();
    }

    public Request next() {
        Endpoint endpoint = endpoints.get(random.nextInt(endpoints.size()));
        String method = endpoint.method() != null && random.nextInt(4) > 0 ? endpoint.method()
                : METHODS[random.nextInt(METHODS.length)];
        String path = fill(endpoint.pattern()) + query();
        Map<String, String> headers = new LinkedHashMap<>();
        int auth = random.nextInt(10);
        if (auth < 8) {
            headers.put("Authorization", authorization);
        } else if (auth == 8) {
            headers.put("Authorization", pick(BAD_AUTHORIZATIONS));
        }
        if (path.contains("/stream/") || random.nextInt(8) == 0) {
            headers.put("Last-Event-ID", pick(BAD_POSITIONS).replace("%00", "\\0"));
        }
        if (random.nextInt(6) == 0) {
            headers.put("Accept", pick(new String[]{"text/event-stream", "application/xml", "*/*;q=x", "garbage",
                    "application/json;charset=ebcdic"}));
        }
        byte[] body = null;
        if (method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
            // an actuator write takes any JSON object as "do it" (a rebuild): give it nothing it could take
            body = endpoint.pattern().startsWith("/actuator") ? bytes(pick(new String[]{"{\"projection\":", "[1]",
                    "\"audit\"", "{\"projection\":\"nope\"}", "{\"projection\":\"\\u0000\"}"}))
                    : body(endpoint.pattern());
            headers.put("Content-Type", pick(new String[]{"application/json", "application/json", "application/json",
                    "application/json; charset=UTF-16", "text/plain", "application/x-www-form-urlencoded",
                    "multipart/form-data; boundary=x", "application/problem+json"}));
        }
        return new Request(method, path, headers, body);
    }

    private String fill(String pattern) {
        StringBuilder out = new StringBuilder();
        for (String segment : pattern.split("/", -1)) {
            if (!out.isEmpty() || !segment.isEmpty()) {
                out.append('/');
            }
            if (segment.startsWith("{")) {
                // a random valid UUID reads nothing that exists; a bad one must be a 400
                out.append(random.nextInt(3) == 0 ? uuid().toString() : pick(BAD_IDS));
            } else {
                out.append(segment);
            }
        }
        if (random.nextInt(10) == 0) {
            out.append(pick(new String[]{"/", "//", "/extra", "%2F", ";jsessionid=x", "/..", "/%00"}));
        }
        return out.toString().replace("//", "/");
    }

    private String query() {
        int n = random.nextInt(4);
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = pick(new String[]{"lastEventId", "replay", "unnamed", "limit", "afterAuditId", "stage", "tag",
                    "x%00", "%ED%A0%80"});
            String value = pick(new String[]{"-1", "abc", "%00", "%ED%A0%80", "99999999999999999999", "0", "10001",
                    "NOT_A_STAGE", "USER_INPUT%00", "x".repeat(5000), "true%00", "yes", "%25", "1e309", ""});
            parts.add(name + "=" + value);
        }
        // always a bad position: a stream request without one (and with a blank Last-Event-ID) would be valid
        // and open a real stream
        parts.add("lastEventId=" + pick(BAD_POSITIONS).replace(" ", "%20"));
        return "?" + String.join("&", parts);
    }

    private byte[] body(String pattern) {
        String valid = pattern.endsWith("/feedback")
                ? "{\"conversationId\":\"" + uuid() + "\",\"feedbackType\":\"THUMBS_UP\",\"metadata\":{\"k\":1}}"
                : "{\"conversationId\":\"" + uuid() + "\",\"message\":\"hello\",\"inputParams\":{\"k\":\"v\"}}";
        return switch (random.nextInt(14)) {
            case 0 -> bytes(valid.substring(0, random.nextInt(valid.length() - 1)));      // truncated
            case 1 -> bytes(valid + "}");                                                  // trailing content
            case 2 -> bytes(valid.replaceFirst("\\{", "{\"message\":\"a\",\"conversationId\":1,"));  // duplicate or wrong type
            case 3 -> bytes(valid.replace("hello", pick(BAD_TEXTS)).replace("\"k\":1", "\"k\":\"" + pick(BAD_TEXTS) + "\""));
            case 4 -> bytes(valid.replace("\"k\"", "\"k" + pick(BAD_TEXTS) + "\"").replace("THUMBS_UP", "MEH"));
            case 5 -> bytes(valid.replace("\"hello\"", pick(new String[]{"42", "[]", "{}", "true", "null", "\"  \""}))
                    .replace("\"THUMBS_UP\"", "42"));
            case 6 -> bytes(valid.replace("\"hello\"", "\"" + pick(CONTROL) + "\",\"reset\":\"" + pick(CONTROL) + "\"")
                    .replace("THUMBS_UP", pick(CONTROL)));
            case 7 -> bytes(deep(17 + random.nextInt(5000)));
            case 8 -> bytes(valid.replace("hello", "x".repeat(16 * 1024 + 1 + random.nextInt(40_000)))
                    .replace("\"metadata\":{\"k\":1}", "\"metadata\":{\"k\":1},\"metadata\":{}"));
            case 9 -> huge();
            case 10 -> randomBytes();
            case 11 -> bytes(pick(new String[]{"", "null", "[]", "\"text\"", "42", "{", "}", "{\"a\":}", "{'a':1}",
                    "{\"message\":\"hi\"} garbage", "[{\"message\":\"hi\"}]", "{\"message\":\"hi\",}", "\uFEFF{}x"}));
            case 12 -> bytes(valid.replace("\"conversationId\":\"", "\"conversationId\":\"" + pick(BAD_IDS).replace("%", "")));
            default -> bytes(valid.replace("\"inputParams\":{\"k\":\"v\"}", "\"inputParams\":" + pick(new String[]{
                    "[1,2]", "\"x\"", "7", "{\"a\":{\"b\":" + "[".repeat(20) + "]".repeat(20) + "}}"}))
                    .replace("\"metadata\":{\"k\":1}", "\"metadata\":[1]"));
        };
    }

    private String deep(int depth) {
        String open = random.nextBoolean() ? "[" : "{\"a\":";
        String close = open.equals("[") ? "]" : "}";
        return "{\"message\":\"hi\",\"inputParams\":" + open.repeat(depth) + "1" + close.repeat(depth) + "}";
    }

    private byte[] huge() {
        int size = random.nextBoolean() ? 70 * 1024 : 1024 * 1024 + random.nextInt(1024 * 1024);
        return bytes("{\"message\":\"hi\",\"inputParams\":{\"big\":\"" + "y".repeat(size) + "\"}}");
    }

    private byte[] randomBytes() {
        byte[] bytes = new byte[1 + random.nextInt(300)];
        random.nextBytes(bytes);
        bytes[0] = '{';
        return bytes;
    }

    /** A random id from the seed (ids that exist nowhere, in canonical form). */
    private UUID uuid() {
        return new UUID(random.nextLong(), random.nextLong());
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
