package io.convtrail.app.foundation;

import io.convtrail.app.LocalApi;
import com.fasterxml.jackson.databind.JsonNode;
import io.convtrail.app.ConvtrailApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClient;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The zero-setup default exactly as a user gets it: no datasource configured, so the app starts its
 * own embedded PostgreSQL in the data directory; a conversation posted before a restart is still
 * there after it.
 */
class EmbeddedDefaultRestartTest {

    @TempDir
    Path home;

    @Test
    void conversationSurvivesARestartOnTheEmbeddedDatabase() {
        Path dataDir = home.resolve("pgdata");
        String conversationId;
        try (ConfigurableApplicationContext first = start(dataDir)) {
            JsonNode answer = http(first).post().uri("/api/v1/conversation/message")
                    .contentType(MediaType.APPLICATION_JSON).body("{\"message\":\"remember me\"}")
                    .retrieve().body(JsonNode.class);
            conversationId = answer.get("conversationId").asText();
            await().atMost(Duration.ofSeconds(10)).until(() -> audit(first, conversationId).size() > 0);
        }
        assertThat(Files.exists(dataDir.resolve("PG_VERSION"))).as("data directory kept").isTrue();

        try (ConfigurableApplicationContext second = start(dataDir)) {
            JdbcClient jdbc = JdbcClient.create(second.getBean(DataSource.class));
            assertThat(jdbc.sql("SHOW fsync").query(String.class).single()).as("durable by default").isEqualTo("on");
            assertThat(jdbc.sql("SHOW synchronous_commit").query(String.class).single()).isEqualTo("on");
            JsonNode audit = audit(second, conversationId);
            assertThat(audit.findValuesAsText("stage")).contains("USER_INPUT");
            assertThat(audit.toString()).contains("remember me");
        }
    }

    private static ConfigurableApplicationContext start(Path dataDir) {
        // command-line arguments, as a user would pass them: they outrank application.yml
        return new SpringApplicationBuilder(ConvtrailApplication.class)
                .run("--server.port=0", "--convtrail.embedded-postgres.data-dir=" + dataDir);
    }

    private static JsonNode audit(ConfigurableApplicationContext context, String conversationId) {
        return http(context).get().uri("/api/v1/conversation/audit/{id}", conversationId)
                .retrieve().body(JsonNode.class);
    }

    private static RestClient http(ConfigurableApplicationContext context) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return LocalApi.strict(port);
    }
}
