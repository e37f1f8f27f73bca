package io.convtrail.app.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.api.export.ExportVerifier;
import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.testsupport.store.EventStoreProbe;
import io.convtrail.app.console.HeadlessChromium.Browser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in a real headless Chromium against the whole application: what a user types reaches the
 * engine, what the engine records reaches the timeline through the SSE stream, once each and in order.
 */
@ConvtrailIntegrationTest
@ExtendWith(HeadlessChromium.class)
class ConsoleBrowserTest {

    @LocalServerPort
    int port;

    @Autowired
    EventStoreProbe storeProbe;

    @Autowired
    ObjectMapper json;

    ConsolePage page;
    RecordedConversation server;
    CuttableProxy proxy;

    @BeforeEach
    void openConsole(Browser browser) {
        page = new ConsolePage(browser.driver(), "http://localhost:" + port);
        page.resize(1280, 800, false);
        server = new RecordedConversation(port, storeProbe, json);
    }

    @AfterEach
    void closeProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void aMessageTypedInTheConsoleIsAnsweredAndItsStagesAndProgressAppearInTheTimeline() throws Exception {
        page.open();
        String conversationId = page.startNewConversation();

        page.sendByKeyboard("What are your interest rates?");
        page.awaitAnswers(1);

        page.waitFor(d -> page.assistantBubbles().size() == 1);
        List<String> recorded = server.assistantOutputs(conversationId);
        assertThat(recorded.get(0)).startsWith("Our personal loans run from 1,000 to 50,000");
        assertThat(page.assistantBubbles()).isEqualTo(recorded);
        assertThat(page.userBubbles()).containsExactly("What are your interest rates?");
        assertThat(page.rowTexts("USER_INPUT").get(0)).contains("What are your interest rates?");
        assertThat(page.rowTexts("ASSISTANT_OUTPUT").get(0)).contains(recorded.get(0));
        assertThat(page.rowTexts("VERBOSE")).anySatisfy(line -> assertThat(line).contains("Looking up our current loan rates."));
        page.assertShowsEachPositionOnce(server.recordCount(conversationId));
    }

    @Test
    void reloadingThePageShowsTheSameHistory() {
        page.open();
        String conversationId = page.startNewConversation();
        page.sendByKeyboard("first");
        page.awaitAnswers(1);
        page.sendByKeyboard("second");
        page.awaitAnswers(2);
        page.assertShowsEachPositionOnce(server.recordCount(conversationId));
        List<Long> sequences = page.shownSequences();
        List<String> answers = page.assistantBubbles();

        page.reload();

        page.waitFor(d -> page.shownSequences().equals(sequences));
        assertThat(page.conversationId()).isEqualTo(conversationId);
        assertThat(page.assistantBubbles()).isEqualTo(answers).hasSize(2);
        assertThat(page.userBubbles()).containsExactly("first", "second");
    }

    @Test
    void afterTheConnectionIsCutTheStreamResumesWithoutDuplicatesOrGaps(Browser browser) throws Exception {
        proxy = new CuttableProxy(port);
        page = new ConsolePage(browser.driver(), "http://localhost:" + proxy.port());
        page.open();
        String conversationId = page.startNewConversation();
        page.sendByKeyboard("before the cut");
        page.awaitAnswers(1);
        page.waitFor(d -> page.assistantBubbles().size() == 1 && "live".equals(page.connectionState()));

        proxy.cut();
        page.waitFor(d -> "reconnecting".equals(page.connectionState()));
        server.post(conversationId, "while cut off 1");
        server.post(conversationId, "while cut off 2");
        proxy.restore();

        page.waitFor(d -> page.assistantBubbles().size() == 3 && "live".equals(page.connectionState()));
        page.assertShowsEachPositionOnce(server.recordCount(conversationId));
        assertThat(page.userBubbles()).containsExactly("before the cut", "while cut off 1", "while cut off 2");
    }

    @Test
    void theResetButtonStartsOverAndBlockedTurnsStandOut() {
        page.open();
        String conversationId = page.startNewConversation();
        page.sendByKeyboard("My card is 4111 1111 1111 1111");
        page.awaitAnswers(1);

        page.click("reset");
        page.awaitAnswers(2);

        page.waitFor(d -> page.assistantBubbles().size() == 2);
        assertThat(page.assistantBubbles().get(1)).startsWith("Let's start over.");
        assertThat(page.text("transcript")).contains("Conversation reset");
        assertThat(page.rowClasses("POLICY_BLOCK")).singleElement().asString().contains("severity-warning");
        page.assertShowsEachPositionOnce(server.recordCount(conversationId));
    }

    @Test
    void aFinishedConversationReplaysStepByStepAndFast() {
        String conversationId = server.post(null, "What are your interest rates?");
        server.post(conversationId, "I want to apply for a loan");
        page.open(conversationId);
        long total = server.recordCount(conversationId);
        page.waitFor(d -> page.shownSequences().size() == total);

        page.selectReplaySpeed("step by step");
        page.click("replay-start");
        page.waitFor(d -> page.summary().contains("replay 0/" + total));
        assertThat(page.shownSequences()).isEmpty();
        page.pressKey("n");
        page.pressKey("n");
        page.waitFor(d -> page.shownSequences().equals(List.of(1L, 2L)));
        page.pressKey(Keys.ESCAPE);
        page.waitFor(d -> page.shownSequences().size() == total);

        page.selectReplaySpeed("16× faster");
        page.click("replay-start");
        page.waitFor(d -> page.summary().contains("replay " + total + "/" + total));
        assertThat(page.shownSequences()).containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
    }

    @Test
    void filtersKeepOnlyTheChosenStageAndVerboseLevel() {
        String conversationId = server.post(null, "What are your interest rates?");
        page.open(conversationId);
        page.waitFor(d -> !page.rowTexts("ASSISTANT_OUTPUT").isEmpty() && !page.rowTexts("VERBOSE").isEmpty());

        page.selectStageFilter("USER_INPUT");
        page.selectVerboseFilter("hidden");

        page.waitFor(d -> page.rowTexts("ASSISTANT_OUTPUT").isEmpty());
        assertThat(page.rowTexts("USER_INPUT")).hasSize(1);
        assertThat(page.rowTexts("VERBOSE")).isEmpty();
    }

    @Test
    void exportDownloadsTheServiceExportThatVerifiesOffline(Browser browser) throws Exception {
        String conversationId = server.post(null, "What are your interest rates?");
        page.open(conversationId);
        long total = server.recordCount(conversationId);
        page.waitFor(d -> page.shownSequences().size() == total);

        page.click("export");

        Path file = browser.downloads().resolve("conversation-" + conversationId + ".jsonl");
        page.waitFor(d -> Files.exists(file));
        page.waitFor(d -> {
            try {
                return Files.readString(file).contains("\"type\":\"summary\"");
            } catch (IOException e) {
                return false;
            }
        });
        List<Long> sequences = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (String line : lines.subList(0, lines.size() - 1)) {
            JsonNode record = json.readTree(line);
            assertThat(record.get("type").asText()).isEqualTo("record");
            sequences.add(record.get("sequence").asLong());
        }
        assertThat(sequences).containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
        // the same format as the API's export: it verifies offline
        try (BufferedReader reader = Files.newBufferedReader(file)) {
            assertThat(ExportVerifier.verify(reader).describe()).isEqualTo("OK " + total + " events, head "
                    + json.readTree(lines.get(lines.size() - 1)).get("head").asText());
        }
    }

    @Test
    void theTraceAndAuditTabsReachedByArrowKeysShowWhatTheAuditApiHolds() {
        String conversationId = server.post(null, "What are your interest rates?");
        server.post(conversationId, "My card is 4111 1111 1111 1111");
        page.open(conversationId);
        page.assertShowsEachPositionOnce(server.recordCount(conversationId));

        page.focus("tab-timeline");
        page.pressKey(Keys.ARROW_RIGHT);
        page.waitFor(d -> "true".equals(d.findElement(By.id("tab-trace")).getAttribute("aria-selected")));
        page.waitFor(d -> {
            // the trace has its own projection, which may be a moment behind the stream: refresh as a user would
            boolean complete = d.findElements(By.cssSelector("#trace .trace-turn .status-answered")).size() == 1
                    && d.findElements(By.cssSelector("#trace .trace-turn .status-blocked")).size() == 1;
            if (!complete) {
                page.click("trace-refresh");
            }
            return complete;
        });
        assertThat(page.text("trace")).contains("Turn 1", "Turn 2", "What are your interest rates?",
                "IntentResolutionStep", "BLOCKED");

        page.focus("tab-trace");
        page.pressKey(Keys.ARROW_RIGHT);
        int rows = server.auditRowCount(conversationId);
        page.waitFor(d -> d.findElements(By.cssSelector("#audit tbody tr")).size() == rows);
        // the open tab re-renders itself while events arrive: a row found a moment ago may be gone, so click again
        page.waitFor(d -> {
            try {
                if (!page.text("audit").contains("\"_meta\"")) {
                    d.findElement(By.cssSelector("#audit tbody tr:first-child summary")).click();
                }
                return page.text("audit").contains("\"_meta\"");
            } catch (StaleElementReferenceException e) {
                return false;
            }
        });
    }

    @Test
    void theLayoutFitsALaptopAndAPhoneScreen() throws Exception {
        String conversationId = server.post(null, "I want to apply for a loan");
        server.post(conversationId, "15000 over 36 months");
        server.post(conversationId, "jane.doe@example.com");
        page.open(conversationId);
        page.waitFor(d -> page.assistantBubbles().size() == 3);
        page.showRow("MCP_TOOL_CALL");

        List<Path> shots = new ArrayList<>();
        shots.add(page.screenshot("console", 1280, 800, false));
        assertThat(page.horizontalOverflow()).as("no sideways scrolling at 1280×800").isLessThanOrEqualTo(0);
        shots.add(page.screenshot("chat", 390, 844, true));
        assertThat(page.horizontalOverflow()).as("no sideways scrolling at 390×844").isLessThanOrEqualTo(0);
        page.showRow("MCP_TOOL_CALL");
        shots.add(page.screenshot("timeline", 390, 844, true));
        page.click("tab-trace");
        page.scrollTo("view-trace");
        page.waitFor(d -> !d.findElements(By.cssSelector("#trace table")).isEmpty());
        shots.add(page.screenshot("trace", 390, 844, true));
        assertThat(page.horizontalOverflow()).as("trace view at 390×844").isLessThanOrEqualTo(0);
        page.click("tab-audit");
        page.scrollTo("view-audit");
        page.waitFor(d -> !d.findElements(By.cssSelector("#audit table")).isEmpty());
        shots.add(page.screenshot("audit", 390, 844, true));
        assertThat(page.horizontalOverflow()).as("audit rows at 390×844").isLessThanOrEqualTo(0);

        for (Path shot : shots) {
            assertThat(Files.size(shot)).as(shot.toString()).isPositive();
        }
    }
}
