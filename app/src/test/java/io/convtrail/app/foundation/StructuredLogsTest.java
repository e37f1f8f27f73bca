package io.convtrail.app.foundation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.app.ConvtrailApplication;
import io.convtrail.testsupport.TestTokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Logs are plain text unless {@code logging.structured.format.console} names a format; with {@code ecs}
 * every line is one JSON object. A real process each time (logging is set up once per JVM), pointed at
 * a database that does not answer, so it logs its start and its failure and exits. Both processes start
 * together before the tests (each test reads its own), since each mostly waits on its own start.
 */
class StructuredLogsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static CompletableFuture<List<String>> ecs;
    private static CompletableFuture<List<String>> plain;

    @BeforeAll
    static void startBoth() {
        // a thread each: the common pool has one thread on a two-core machine
        Executor ownThread = task -> new Thread(task, "structured-logs-child").start();
        ecs = CompletableFuture.supplyAsync(() -> run("--logging.structured.format.console=ecs"), ownThread);
        plain = CompletableFuture.supplyAsync(StructuredLogsTest::run, ownThread);
    }

    @Test
    void oneSettingTurnsEveryLineIntoJson() throws Exception {
        List<String> lines = ecs.get(3, TimeUnit.MINUTES);

        assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(isJson(line)).as(line).isTrue());
        assertThat(lines).map(StructuredLogsTest::parse)
                .anySatisfy(entry -> {
                    assertThat(entry.at("/log/level").asText()).isEqualTo("INFO");
                    assertThat(entry.path("message").asText()).startsWith("Starting ConvtrailApplication");
                    assertThat(entry.has("@timestamp")).isTrue();
                });
    }

    @Test
    void byDefaultTheLinesArePlainText() throws Exception {
        List<String> lines = plain.get(3, TimeUnit.MINUTES);

        assertThat(lines).anySatisfy(line -> assertThat(line)
                .containsPattern("INFO \\d+ --- \\[convtrail] .*Starting ConvtrailApplication"));
        assertThat(lines).noneSatisfy(line -> assertThat(isJson(line)).isTrue());
    }

    private static List<String> run(String... extra) {
        try {
            return start(extra);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> start(String... extra) throws IOException, InterruptedException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        // the service processes of the fault suite start with the same flags: C1 only starts faster
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), ConvtrailApplication.class.getName(),
                "--server.port=0", "--" + TestTokens.SECRET_PROPERTY,
                "--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + closedPort + "/convtrail",
                "--spring.datasource.username=convtrail", "--spring.datasource.password=convtrail"));
        command.addAll(List.of(extra));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("exited").isTrue();
        assertThat(output).as("it failed on the database, as arranged").contains("cannot connect to PostgreSQL");
        return output.lines().filter(line -> !line.isBlank()).toList();
    }

    private static boolean isJson(String line) {
        return line.startsWith("{") && parse(line) != null;
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException notJson) {
            return null;
        }
    }
}
