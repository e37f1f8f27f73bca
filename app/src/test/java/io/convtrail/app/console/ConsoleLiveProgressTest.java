package io.convtrail.app.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.testsupport.store.EventStoreProbe;
import io.convtrail.app.console.HeadlessChromium.Browser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The timeline updates while a turn runs: the demo tool is slowed to 1.5 s so that a progress line
 * that streamed in live is on screen well before the answer, while one delivered in a burst at turn
 * end would appear with it.
 */
@ConvtrailIntegrationTest
@TestPropertySource(properties = "convtrail.demo-tool.delay=1500ms")
@ExtendWith(HeadlessChromium.class)
class ConsoleLiveProgressTest {

    @LocalServerPort
    int port;

    @Autowired
    EventStoreProbe storeProbe;

    @Autowired
    ObjectMapper json;

    @Test
    void theToolsProgressIsOnScreenWhileTheToolRunsAndBeforeItsAnswer(Browser browser) throws Exception {
        ConsolePage page = new ConsolePage(browser.driver(), "http://localhost:" + port);
        RecordedConversation server = new RecordedConversation(port, storeProbe, json);
        page.resize(1280, 800, false);
        page.open();
        String conversationId = page.startNewConversation();
        page.sendByKeyboard("I want to apply for a loan");
        page.awaitAnswers(1);
        page.sendByKeyboard("15000 over 36 months");
        page.awaitAnswers(2);
        page.recordArrivals();

        page.sendByKeyboard("jane.doe@example.com");
        page.waitFor(d -> page.rowTexts("VERBOSE").stream().anyMatch(l -> l.contains("Checking credit rating")));
        assertThat(page.assistantBubbles()).as("the tool is still running").hasSize(2);
        page.awaitAnswers(3);

        page.waitFor(d -> page.assistantBubbles().size() == 3);
        List<String> recorded = server.assistantOutputs(conversationId);
        assertThat(page.assistantBubbles()).containsExactlyElementsOf(recorded);
        assertThat(recorded.get(2)).startsWith("Your credit rating from Demo Credit Union is A.");
        long progress = page.sequenceOfRow("VERBOSE", "Checking credit rating from credit union.");
        long answer = page.sequenceOfRow("ASSISTANT_OUTPUT", "Your credit rating");
        assertThat(progress).as("the tool's progress comes before the answer").isLessThan(answer);
        double lead = page.arrivalOf(answer) - page.arrivalOf(progress);
        System.out.printf("[console] the tool's progress line was on screen %.0f ms before its answer%n", lead);
        assertThat(lead).as("ms between the progress line and the answer appearing").isGreaterThanOrEqualTo(1000);
        page.assertShowsEachPositionOnce(server.recordCount(conversationId));
    }
}
