package io.convtrail.app.foundation;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * There is no Docker engine to run docker-compose.yml here, so this test reads it and checks that it
 * agrees with the application's configuration and the README: ports, database coordinates and the
 * environment variable names.
 */
class DockerComposeConsistencyTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    @SuppressWarnings("unchecked")
    void composeFileMatchesTheApplicationConfiguration() throws IOException {
        Map<String, Object> compose = load(ROOT.resolve("docker-compose.yml"));
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        Map<String, Object> postgres = (Map<String, Object>) services.get("postgres");
        Map<String, Object> app = (Map<String, Object>) services.get("app");

        assertThat((String) postgres.get("image")).startsWith("postgres:16");
        Map<String, String> pgEnv = (Map<String, String>) postgres.get("environment");
        Map<String, String> appEnv = (Map<String, String>) app.get("environment");

        assertThat(appEnv).containsOnlyKeys("SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME",
                "SPRING_DATASOURCE_PASSWORD", "PORT");
        Matcher url = Pattern.compile("jdbc:postgresql://postgres:(\\d+)/(\\w+)").matcher(appEnv.get("SPRING_DATASOURCE_URL"));
        assertThat(url.matches()).as("app points at the postgres service").isTrue();
        assertThat(url.group(1)).isEqualTo(containerPort((List<String>) postgres.get("ports")));
        assertThat(url.group(2)).isEqualTo(pgEnv.get("POSTGRES_DB"));
        assertThat(appEnv.get("SPRING_DATASOURCE_USERNAME")).isEqualTo(pgEnv.get("POSTGRES_USER"));
        assertThat(appEnv.get("SPRING_DATASOURCE_PASSWORD")).isEqualTo(pgEnv.get("POSTGRES_PASSWORD"));

        String appPort = containerPort((List<String>) app.get("ports"));
        assertThat(appPort).isEqualTo(appEnv.get("PORT"));
        assertThat(serverPortDefault()).isEqualTo(appPort);

        String configuration = Files.readString(ROOT.resolve("docs/configuration.md"));
        appEnv.keySet().forEach(name -> assertThat(configuration).as("docs/configuration.md documents " + name)
                .contains("`" + name + "`"));
        assertThat(Files.exists(ROOT.resolve("Dockerfile"))).isTrue();
        assertThat(app.get("build")).isEqualTo(".");
    }

    /** The port the application listens on by default, from {@code server.port: ${PORT:8080}}. */
    @SuppressWarnings("unchecked")
    private static String serverPortDefault() throws IOException {
        try (InputStream in = DockerComposeConsistencyTest.class.getResourceAsStream("/application.yml")) {
            Map<String, Object> config = new Yaml().loadAll(in).iterator().next() instanceof Map<?, ?> m
                    ? (Map<String, Object>) m : Map.of();
            String port = String.valueOf(((Map<String, Object>) config.get("server")).get("port"));
            Matcher placeholder = Pattern.compile("\\$\\{PORT:(\\d+)}").matcher(port);
            assertThat(placeholder.matches()).as("server.port reads PORT: " + port).isTrue();
            return placeholder.group(1);
        }
    }

    private static String containerPort(List<String> mappings) {
        assertThat(mappings).hasSize(1);
        String[] parts = mappings.get(0).split(":");
        return parts[parts.length - 1];
    }

    private static Map<String, Object> load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new Yaml().load(in);
        }
    }
}
