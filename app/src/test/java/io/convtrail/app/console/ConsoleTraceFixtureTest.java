package io.convtrail.app.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.app.console.HeadlessChromium.Browser;
import io.convtrail.testsupport.trace.TraceFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.JavascriptExecutor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared trace fixture in the console: the page's own timeline-model.js, in a real Chromium, groups
 * the recorded stream into the same tree the server's trace gives it ({@code SharedTraceFixtureTest}).
 */
@ConvtrailIntegrationTest
@ExtendWith(HeadlessChromium.class)
class ConsoleTraceFixtureTest {

    @Test
    void theConsolesTimelineOfTheRecordedConversationIsTheFixturesTree(Browser browser, @LocalServerPort int port,
                                                                       @Autowired ObjectMapper json) throws Exception {
        new ConsolePage(browser.driver(), "http://localhost:" + port).open();
        TraceFixture fixture = TraceFixture.load();
        JavascriptExecutor js = (JavascriptExecutor) browser.driver();
        browser.driver().manage().timeouts().scriptTimeout(Duration.ofSeconds(20));

        Object tree = js.executeAsyncScript("""
                const [fixtureText, done] = arguments;
                import('/js/timeline-model.js').then(({ buildTimeline, traceTreeOf }) => {
                  const { stream } = JSON.parse(fixtureText);
                  const events = stream.filter((e) => e.envelope.eventType !== 'TURN')
                    .map((e) => ({ sequence: e.id, envelope: e.envelope }));
                  const boundaries = stream.filter((e) => e.envelope.eventType === 'TURN')
                    .map((e) => ({ afterSequence: e.id, envelope: e.envelope }));
                  done(JSON.stringify(traceTreeOf(buildTimeline(events, boundaries))));
                }, (error) => done('failed: ' + error));""", fixture.text());

        assertThat(json.writerWithDefaultPrettyPrinter().writeValueAsString(json.readTree((String) tree)))
                .isEqualTo(json.writerWithDefaultPrettyPrinter().writeValueAsString(fixture.expectedTrace()));
    }
}
