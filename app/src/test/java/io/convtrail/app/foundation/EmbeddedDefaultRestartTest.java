package io.convtrail.app.foundation;

import com.fasterxml.jackson.databind.JsonNode;
import io.convtrail.app.ConvtrailApplication;
import io.convtrail.app.security.StartupAccessReport;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The zero-setup default exactly as a user gets it: no datasource and no secret configured, so the
 * app starts its own embedded PostgreSQL in the data directory (password-protected, loopback only)
 * and generates its token secret; the console link it logs works, and a conversation posted before
 * a restart is still there after it, readable with a token made before the restart.
 */
class EmbeddedDefaultRestartTest {

    @TempDir
    Path home;

    @Test
    void conversationSurvivesARestartOnTheEmbeddedDatabase() throws Exception {
        Path dataDir = home.resolve("pgdata");
        String conversationId;
        try (ConfigurableApplicationContext first = start(dataDir)) {
            token = consoleToken(first);
            JsonNode answer = http(first).post().uri("/api/v1/conversation/message")
                    .contentType(MediaType.APPLICATION_JSON).body("{\"message\":\"remember me\"}")
                    .retrieve().body(JsonNode.class);
            conversationId = answer.get("conversationId").asText();
            await().atMost(Duration.ofSeconds(10)).until(() -> audit(first, conversationId).size() > 0);
        }
        assertThat(Files.exists(dataDir.resolve("PG_VERSION"))).as("data directory kept").isTrue();
        for (Path secret : List.of(home.resolve("jwt-secret"), home.resolve("pgdata.password"))) {
            assertThat(Files.getPosixFilePermissions(secret)).as(secret + " readable by its owner only")
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        }

        try (ConfigurableApplicationContext second = start(dataDir)) {
            EmbeddedPostgres postgres = second.getBean(EmbeddedPostgres.class);
            String url = postgres.getJdbcUrl("postgres", "postgres");
            assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "").close())
                    .as("no password").isInstanceOf(SQLException.class).hasMessageContaining("password");
            assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "postgres").close())
                    .as("the library's default password").isInstanceOf(SQLException.class)
                    .hasMessageContaining("password authentication failed");
            JdbcClient jdbc = JdbcClient.create(second.getBean(DataSource.class));
            assertThat(jdbc.sql("SHOW listen_addresses").query(String.class).single()).isEqualTo("localhost");
            assertThat(jdbc.sql("SHOW fsync").query(String.class).single()).as("durable by default").isEqualTo("on");
            assertThat(jdbc.sql("SHOW synchronous_commit").query(String.class).single()).isEqualTo("on");
            JsonNode audit = audit(second, conversationId);
            assertThat(audit.findValuesAsText("stage")).contains("USER_INPUT");
            assertThat(audit.toString()).contains("remember me");
        }
    }

    private String token;

    private ConfigurableApplicationContext start(Path dataDir) {
        // command-line arguments, as a user would pass them: they outrank application.yml
        return new SpringApplicationBuilder(ConvtrailApplication.class)
                .run("--server.port=0", "--convtrail.embedded-postgres.data-dir=" + dataDir,
                        "--convtrail.security.jwt.generated-secret-file=" + home.resolve("jwt-secret"));
    }

    /** The admin token of the console link the service logged. */
    private static String consoleToken(ConfigurableApplicationContext context) {
        String link = context.getBean(StartupAccessReport.class).consoleUrl().orElseThrow();
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        assertThat(link).startsWith("http://localhost:" + port + "/#token=");
        return link.substring(link.indexOf("#token=") + "#token=".length());
    }

    private JsonNode audit(ConfigurableApplicationContext context, String conversationId) {
        return http(context).get().uri("/api/v1/conversation/audit/{id}", conversationId)
                .retrieve().body(JsonNode.class);
    }

    private RestClient http(ConfigurableApplicationContext context) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return RestClient.builder().baseUrl("http://localhost:" + port)
                .defaultHeader("Authorization", "Bearer " + token).build();
    }
}
