package io.convtrail.app;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jar's command line in a real process: {@code --help} and each command's {@code --help} print
 * their usage and exit 0 at once, without starting the service (no Spring banner line, no port).
 */
class CommandLineTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--help          | Usage: convtrail [-hV] [COMMAND]        | serve",
            "help            | Usage: convtrail [-hV] [COMMAND]        | verify",
            "serve --help    | Usage: convtrail serve                  | Run the service",
            "help serve      | Usage: convtrail serve                  | --server.port=8081",
            "token --help    | Usage: convtrail token                  | --sub=<subject>",
            "verify --help   | Usage: convtrail verify                 | FILE"})
    void helpIsPrintedAndNothingStarts(String arguments, String usage, String mentions) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ConvtrailApplication.class.getName()));
        command.addAll(List.of(arguments.split(" ")));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exited").isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).startsWith(usage).contains(mentions).doesNotContain("Starting ConvtrailApplication");
    }

    @org.junit.jupiter.api.Test
    void serveHandsEverythingAfterItToSpringBoot() {
        assertThat(ConvtrailCommand.serviceArguments(new String[]{"serve", "--server.port=0"}))
                .containsExactly("--server.port=0");
        assertThat(ConvtrailCommand.serviceArguments(new String[]{"--server.port=0"})).containsExactly("--server.port=0");
        assertThat(ConvtrailCommand.handles(new String[]{"serve", "--server.port=0"})).isFalse();
        assertThat(ConvtrailCommand.handles(new String[]{"serve", "--help"})).isTrue();
    }
}
