package io.convtrail.app.foundation;

import io.convtrail.app.fault.ServiceProcess;
import io.convtrail.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's demo script, taken from between its markers exactly as printed, run with bash from the
 * repository root (where it finds {@code app/target/convtrail.jar} for its token) against the built jar
 * started as a child process. It must exit 0 and print what the README says it prints.
 */
class DemoScriptIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern DEMO = Pattern.compile(
            "<!-- demo-script:start -->\\n```bash\\n(.*?)```\\n<!-- demo-script:end -->", Pattern.DOTALL);

    @TempDir
    Path dir;

    @Test
    void theReadmesDemoScriptRunsAsPrinted() throws Exception {
        String script = demoScript();
        assertThat(script).doesNotContain("uuidgen", "jq ", "python");

        int port = ServiceProcess.freePort();
        try (ServiceProcess service = ServiceProcess.start(dir.resolve("service.log"), port,
                "--convtrail.embedded-postgres.data-dir=" + dir.resolve("pg"))) {
            Path file = Files.writeString(dir.resolve("demo.sh"), script);
            ProcessBuilder bash = new ProcessBuilder("bash", file.toString()).directory(ROOT.toFile())
                    .redirectErrorStream(true);
            bash.environment().put("BASE", service.baseUrl());
            // the service was started with the test secret; the token command signs with it, as with the
            // generated one it would find in ./data/jwt-secret
            bash.environment().put("CONVTRAIL_SECURITY_JWT_SECRET", TestTokens.SECRET);
            bash.environment().remove("TOKEN");
            Process run = bash.start();
            assertThat(run.waitFor(180, TimeUnit.SECONDS)).as("the script ended").isTrue();
            String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(run.exitValue()).as(output).isZero();
            assertThat(output).as(output)
                    .contains("> What are your interest rates?")
                    .contains("\"intent\":\"FAQ_RATES\",\"state\":\"ANSWERED\"")
                    .contains("\"state\":\"COLLECTING\"")
                    .contains("\"state\":\"CONFIRMING\"")
                    .contains("\"state\":\"COMPLETED\"")
                    .contains("\"intact\":true");
            assertThat(output.indexOf("\"state\":\"COMPLETED\"")).isLessThan(output.indexOf("\"intact\":true"));
        }
    }

    /** The block as printed: what a reader copies, byte for byte. */
    static String demoScript() throws IOException {
        Matcher demo = DEMO.matcher(Files.readString(ROOT.resolve("README.md")));
        assertThat(demo.find()).as("the demo block between its markers in README.md").isTrue();
        return demo.group(1);
    }
}
