package io.convtrail.app.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.query.stream.StreamHistory;
import io.convtrail.testsupport.store.EventStoreProbe;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.UUID;

/** What every stream test starts with: the running app's port, an HTTP client, and its conversations. */
abstract class StreamClientTest {

    @LocalServerPort
    int port;
    @Autowired
    StreamHistory history;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    EventStoreProbe storeProbe;
    @Autowired
    ObjectMapper json;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    StoredConversations conversations;

    @BeforeEach
    void connectToTheApp() {
        conversations = new StoredConversations(port, history, storeProbe, json);
    }

    /** The SSE stream of a conversation; {@code query} is "" or starts with '?'. */
    URI stream(UUID conversationId, String query) {
        return URI.create("http://localhost:" + port + "/api/v1/conversation/stream/" + conversationId + query);
    }
}
