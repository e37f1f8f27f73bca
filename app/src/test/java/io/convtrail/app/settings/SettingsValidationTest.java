package io.convtrail.app.settings;

import io.convtrail.app.ConvtrailApplication;
import io.convtrail.testsupport.TestPostgres;
import io.convtrail.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A setting the service cannot work with stops startup with one line naming the setting, its value,
 * where it came from and why, instead of a service that starts and then refuses every request
 * (a maximum message size of 0 did). The database is real and reachable, so the setting is the only fault.
 */
@ExtendWith(OutputCaptureExtension.class)
class SettingsValidationTest {

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "convtrail.turn.max-message-size | 0   | convtrail.turn.max-message-size = \"0B\" (from \"convtrail.turn.max-message-size\" from property source \"commandLineArgs\"): must be greater than 0 [environment variable CONVTRAIL_TURN_MAXMESSAGESIZE]",
            "convtrail.stream.sse.heartbeat  | 0s  | convtrail.stream.sse.heartbeat = \"PT0S\": must be greater than 0 [environment variable CONVTRAIL_STREAM_SSE_HEARTBEAT]",
            "convtrail.request.max-json-depth| 1   | convtrail.request.max-json-depth = \"1\" (from \"convtrail.request.max-json-depth\" from property source \"commandLineArgs\"): must be greater than or equal to 2 [environment variable CONVTRAIL_REQUEST_MAXJSONDEPTH]",
            "convtrail.node.heartbeat        | 1m  | convtrail.node.liveness-timeout must be longer than convtrail.node.heartbeat",
            "convtrail.read-side.max-delay   | -5ms | convtrail.read-side.max-delay = \"PT-0.005S\" (from \"convtrail.read-side.max-delay\" from property source \"commandLineArgs\"): must be greater than or equal to 0 [environment variable CONVTRAIL_READSIDE_MAXDELAY]"})
    void aBadSettingStopsStartupWithOneClearLine(String property, String value, String expected,
                                                 CapturedOutput output) {
        TestPostgres.Database database = TestPostgres.freshDatabase();

        assertThatThrownBy(() -> start(database, property + "=" + value)).isNotNull();

        assertThat(output.getOut() + output.getErr())
                .contains("APPLICATION FAILED TO START")
                .contains("Invalid settings; convtrail did not start:")
                .contains(expected);
    }

    /** A value of the wrong type is Spring Boot's binding failure: the property, its value and why, in one report. */
    @Test
    void aSwitchThatIsNeitherTrueNorFalseStopsStartup(CapturedOutput output) {
        assertBindingStopsStartup(output, "convtrail.node.segment-balance.merge", "maybe",
                "Failed to bind properties under 'convtrail.node.segment-balance.merge' to boolean");
    }

    /** The read side's reader is one of two; another name is refused before any processor is registered. */
    @Test
    void aReaderThatIsNeitherDirectNorAxonStopsStartup(CapturedOutput output) {
        assertBindingStopsStartup(output, "convtrail.read-side.reader", "pooled",
                "Failed to bind properties under 'convtrail.read-side.reader'");
    }

    /** The setting stops the start with Spring Boot's report: the property's failure and its value. */
    private static void assertBindingStopsStartup(CapturedOutput output, String property, String value, String failure) {
        TestPostgres.Database database = TestPostgres.freshDatabase();

        assertThatThrownBy(() -> start(database, property + "=" + value)).isNotNull();

        assertThat(output.getOut() + output.getErr())
                .contains("APPLICATION FAILED TO START")
                .contains(failure)
                .contains("Value: \"" + value + "\"");
    }

    /** Starts the application on the database with one setting added; a bad setting makes it throw. */
    private static void start(TestPostgres.Database database, String setting) {
        new SpringApplicationBuilder(ConvtrailApplication.class)
                .run("--server.port=0", "--" + TestTokens.SECRET_PROPERTY,
                        "--spring.datasource.url=" + database.jdbcUrl(),
                        "--spring.datasource.username=" + database.username(),
                        "--spring.datasource.password=" + database.password(),
                        "--" + setting);
    }
}
