package io.convtrail.app;

import org.springframework.http.HttpStatusCode;
import org.springframework.web.client.RestClient;

/** An HTTP client of the app under test that hands 4xx and 5xx answers back instead of throwing, so tests can read problems. */
public final class LocalApi {

    private LocalApi() {
    }

    public static RestClient client(int port) {
        return RestClient.builder().baseUrl("http://localhost:" + port)
                .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> { })
                .build();
    }
}
