package io.convtrail.app.foundation;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.scale.yml cannot be run here (no Docker engine), so this test reads it and its nginx
 * configuration: four nodes on the one database, two per role, with one JWT secret; STOMP relayed to the
 * RabbitMQ service with its STOMP plugin enabled; and a load balancer that sends turns to the command
 * nodes, everything else to the query nodes, and streams SSE and WebSocket unbuffered for long.
 */
class ScaledComposeTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern DATABASE = Pattern.compile("jdbc:postgresql://postgres:5432/(\\w+)");

    @Test
    @SuppressWarnings("unchecked")
    void fourNodesShareTheDatabaseTheBrokerAndTheSecret() throws IOException {
        Map<String, Object> services = (Map<String, Object>) load(ROOT.resolve("docker-compose.scale.yml")).get("services");
        Map<String, String> pgEnv = environment(services.get("postgres"));
        Map<String, String> rabbitEnv = environment(services.get("rabbitmq"));
        Map<String, Object> settings = applicationYml();

        Map<String, Set<String>> nodesByRole = Map.of("command", new HashSet<>(), "query", new HashSet<>());
        Set<String> secrets = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (Map.Entry<String, Object> service : services.entrySet()) {
            Map<String, String> env = environment(service.getValue());
            if (!env.containsKey("CONVTRAIL_NODE_ROLES")) {
                continue;
            }
            String node = service.getKey();
            assertThat(((Map<String, Object>) service.getValue()).get("build")).as(node).isEqualTo(".");
            Matcher url = DATABASE.matcher(env.get("SPRING_DATASOURCE_URL"));
            assertThat(url.matches()).as("%s uses the postgres service", node).isTrue();
            assertThat(url.group(1)).isEqualTo(pgEnv.get("POSTGRES_DB"));
            assertThat(env.get("SPRING_DATASOURCE_USERNAME")).isEqualTo(pgEnv.get("POSTGRES_USER"));
            assertThat(env.get("SPRING_DATASOURCE_PASSWORD")).isEqualTo(pgEnv.get("POSTGRES_PASSWORD"));

            assertThat(env.get("CONVTRAIL_STREAM_STOMP_BROKER")).as(node).isEqualTo("relay");
            assertThat(env.get("CONVTRAIL_STREAM_STOMP_RELAY_HOST")).as(node).isEqualTo("rabbitmq");
            assertThat(env.get("CONVTRAIL_STREAM_STOMP_RELAY_PORT")).as(node).isEqualTo("61613");
            assertThat(env.get("CONVTRAIL_STREAM_STOMP_RELAY_LOGIN")).isEqualTo(rabbitEnv.get("RABBITMQ_DEFAULT_USER"));
            assertThat(env.get("CONVTRAIL_STREAM_STOMP_RELAY_PASSCODE")).isEqualTo(rabbitEnv.get("RABBITMQ_DEFAULT_PASS"));
            secrets.add(env.get("CONVTRAIL_SECURITY_JWT_SECRET"));
            assertThat(names.add(env.get("CONVTRAIL_NODE_NAME"))).as("node names are unique").isTrue();
            assertThat(env.get("CONVTRAIL_NODE_NAME")).isEqualTo(node);
            for (String role : env.get("CONVTRAIL_NODE_ROLES").split(",")) {
                assertThat(nodesByRole).as("%s: role %s", node, role).containsKey(role.strip());
                nodesByRole.get(role.strip()).add(node);
            }
            env.keySet().stream().filter(key -> key.startsWith("CONVTRAIL_")).forEach(key ->
                    assertThat(settingExists(settings, key)).as("%s names a setting of application.yml", key).isTrue());
        }
        assertThat(nodesByRole.get("command")).containsExactlyInAnyOrder("command-1", "command-2");
        assertThat(nodesByRole.get("query")).containsExactlyInAnyOrder("query-1", "query-2");
        assertThat(secrets).as("one JWT secret for every node, required from the environment").hasSize(1)
                .allSatisfy(secret -> assertThat(secret).startsWith("${CONVTRAIL_JWT_SECRET:?"));

        assertThat(Files.readString(ROOT.resolve("deploy/rabbitmq/enabled_plugins"))).contains("rabbitmq_stomp");
        assertThat(volumes(services.get("rabbitmq")))
                .contains("./deploy/rabbitmq/enabled_plugins:/etc/rabbitmq/enabled_plugins:ro");

        assertThat(volumes(services.get("lb"))).contains("./deploy/nginx/convtrail.conf:/etc/nginx/conf.d/default.conf:ro");
        String nginx = Files.readString(ROOT.resolve("deploy/nginx/convtrail.conf"));
        assertThat(upstream(nginx, "convtrail_command")).containsExactlyInAnyOrderElementsOf(
                nodesByRole.get("command").stream().map(node -> node + ":8080").toList());
        assertThat(upstream(nginx, "convtrail_query")).containsExactlyInAnyOrderElementsOf(
                nodesByRole.get("query").stream().map(node -> node + ":8080").toList());
        assertThat(location(nginx, "= /api/v1/conversation/message")).contains("proxy_pass http://convtrail_command;");
        assertThat(location(nginx, "= /api/v1/conversation/feedback")).contains("proxy_pass http://convtrail_command;");
        assertThat(location(nginx, "/")).contains("proxy_pass http://convtrail_query;");

        Duration heartbeat = Duration.parse("PT" + ((Map<String, Object>) path(settings, "convtrail", "stream", "sse"))
                .get("heartbeat").toString().toUpperCase(Locale.ROOT));
        for (String streams : List.of("/api/v1/conversation/stream/", "/ws-convengine")) {
            String block = location(nginx, streams);
            assertThat(block).as(streams).contains("proxy_pass http://convtrail_query;", "proxy_buffering off;");
            Matcher timeout = Pattern.compile("proxy_read_timeout (\\d+)([smh]);").matcher(block);
            assertThat(timeout.find()).as("%s sets proxy_read_timeout", streams).isTrue();
            Duration read = Duration.parse("PT" + timeout.group(1) + timeout.group(2).toUpperCase(Locale.ROOT));
            assertThat(read).as("%s: idle streams outlive the heartbeat many times", streams)
                    .isGreaterThanOrEqualTo(heartbeat.multipliedBy(10));
        }
        assertThat(location(nginx, "/ws-convengine")).contains("proxy_set_header Upgrade $http_upgrade;",
                "proxy_set_header Connection $connection_upgrade;");
        assertThat(nginx).contains("proxy_http_version 1.1;", "X-Forwarded-For");
        assertThat(nodesByRole.values().stream().flatMap(Set::stream).map(services::get).map(ScaledComposeTest::environment))
                .allSatisfy(env -> assertThat(env.get("SERVER_FORWARD_HEADERS_STRATEGY")).isEqualTo("native"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> environment(Object service) {
        Object env = ((Map<String, Object>) service).get("environment");
        return env == null ? Map.of() : (Map<String, String>) env;
    }

    @SuppressWarnings("unchecked")
    private static List<String> volumes(Object service) {
        return (List<String>) ((Map<String, Object>) service).get("volumes");
    }

    /** Whether an environment variable binds to a key of application.yml (relaxed binding: dashes dropped). */
    private static boolean settingExists(Map<String, Object> settings, String variable) {
        Object node = settings;
        List<String> parts = new ArrayList<>(List.of(variable.toLowerCase(Locale.ROOT).split("_")));
        while (!parts.isEmpty()) {
            if (!(node instanceof Map<?, ?> map)) {
                return false;
            }
            Map.Entry<?, ?> found = null;
            for (int take = 1; take <= parts.size() && found == null; take++) {
                String joined = String.join("", parts.subList(0, take));
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    if (entry.getKey().toString().replace("-", "").equals(joined)) {
                        found = entry;
                        parts.subList(0, take).clear();
                        break;
                    }
                }
            }
            if (found == null) {
                return false;
            }
            node = found.getValue();
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static Object path(Map<String, Object> settings, String... keys) {
        Object node = settings;
        for (String key : keys) {
            node = ((Map<String, Object>) node).get(key);
        }
        return node;
    }

    private static List<String> upstream(String nginx, String name) {
        Matcher block = Pattern.compile("upstream " + name + " \\{([^}]*)}").matcher(nginx);
        assertThat(block.find()).as("upstream %s", name).isTrue();
        return Pattern.compile("server ([\\w.:-]+);").matcher(block.group(1)).results().map(m -> m.group(1)).toList();
    }

    private static String location(String nginx, String match) {
        Matcher block = Pattern.compile("location " + Pattern.quote(match) + " \\{([^}]*)}").matcher(nginx);
        assertThat(block.find()).as("location %s", match).isTrue();
        return block.group(1);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> applicationYml() throws IOException {
        try (InputStream in = ScaledComposeTest.class.getResourceAsStream("/application.yml")) {
            return (Map<String, Object>) new Yaml().loadAll(in).iterator().next();
        }
    }

    private static Map<String, Object> load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new Yaml().load(in);
        }
    }
}
