package io.convtrail.app.foundation;

import io.convtrail.testsupport.TestTokens;
import io.convtrail.app.ConvtrailApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An external database that does not answer stops startup quickly, with one message naming its URL. */
@ExtendWith(OutputCaptureExtension.class)
class UnreachableDatabaseTest {

    @Test
    void startupFailsFastAndNamesTheUrl(CapturedOutput output) throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/convtrail";
        Instant start = Instant.now();

        assertThatThrownBy(() -> new SpringApplicationBuilder(ConvtrailApplication.class)
                .run("--server.port=0", "--" + TestTokens.SECRET_PROPERTY, "--spring.datasource.url=" + url,
                        "--spring.datasource.username=convtrail", "--spring.datasource.password=convtrail"))
                .isNotNull();

        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(30));
        assertThat(output.getOut() + output.getErr())
                .contains("APPLICATION FAILED TO START")
                .contains("convtrail cannot connect to PostgreSQL at " + url)
                .contains("SPRING_DATASOURCE_URL");
    }
}
