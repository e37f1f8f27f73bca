package io.convtrail.app.security;

import io.convtrail.app.ConvtrailApplication;
import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.app.LocalApi;
import io.convtrail.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java … ConvtrailApplication token --sub alice --roles user --ttl 1h} in a real process: it
 * prints one token and exits without starting the service, and the running service accepts the token.
 */
@ConvtrailIntegrationTest
class TokenCommandTest {

    @LocalServerPort
    int port;

    @TempDir
    Path dir;

    @Test
    void theTokenCommandPrintsATokenTheServiceAcceptsAndStartsNothing() throws Exception {
        Path secret = dir.resolve("jwt-secret");
        Files.writeString(secret, TestTokens.SECRET + "\n", StandardCharsets.UTF_8);
        ProcessBuilder command = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ConvtrailApplication.class.getName(),
                "token", "--sub", "alice", "--roles", "user", "--ttl", "1h", "--secret-file", secret.toString())
                .redirectErrorStream(true);
        command.environment().remove("CONVTRAIL_SECURITY_JWT_SECRET");
        long started = System.nanoTime();
        Process process = command.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exited").isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).as("one token, no service log").matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(15);

        int status = LocalApi.client(port, output).post().uri("/api/v1/conversation/message")
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"conversationId\":\"" + UUID.randomUUID() + "\",\"message\":\"hello\"}")
                .retrieve().toBodilessEntity().getStatusCode().value();
        assertThat(status).isEqualTo(200);
    }

    @Test
    void anUnknownRoleIsRefusedWithAMessage(@TempDir Path other) {
        int code = TokenCommand.run(new String[]{"--sub", "x", "--roles", "owner", "--secret-file",
                other.resolve("s").toString()}, java.util.Map.of());
        assertThat(code).isNotZero();
    }
}
