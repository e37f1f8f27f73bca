package io.convtrail.app;

import io.convtrail.testsupport.TestTokens;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.client.RestClient;

/**
 * HTTP clients of the app under test, authenticated as an admin (the test secret of
 * {@link TestTokens}) unless a test passes another token.
 */
public final class LocalApi {

    private LocalApi() {
    }

    /** Hands 4xx and 5xx answers back instead of throwing, so tests can read problems. */
    public static RestClient client(int port) {
        return client(port, TestTokens.admin());
    }

    /** The same with the given token; null sends none. */
    public static RestClient client(int port, String token) {
        return builder(port, token).defaultStatusHandler(HttpStatusCode::isError, (request, response) -> { })
                .build();
    }

    /** Throws on 4xx and 5xx, like {@code RestClient.create}. */
    public static RestClient strict(int port) {
        return builder(port, TestTokens.admin()).build();
    }

    private static RestClient.Builder builder(int port, String token) {
        RestClient.Builder builder = RestClient.builder().baseUrl("http://localhost:" + port);
        if (token != null) {
            builder.defaultHeader(HttpHeaders.AUTHORIZATION, TestTokens.bearer(token));
        }
        return builder;
    }
}
