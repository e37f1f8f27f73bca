package io.convtrail.app.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.app.console.HeadlessChromium.Browser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClient;

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
    JdbcClient jdbc;

    @Autowired
    ObjectMapper json;

    ConsolePage page;
    RestClient http;
    CuttableProxy proxy;

    @AfterEach
    void closeProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @BeforeEach
    void openConsole(Browser browser) {
        page = new ConsolePage(browser.driver(), "http://localhost:" + port);
        page.resize(1280, 800, false);
        http = RestClient.create("http://localhost:" + port);
    }

    @Test
    void messagesTypedInTheConsoleAreAnsweredAndTheToolsProgressStreamsInBeforeTheAnswer() {
        page.open();
        String conversationId = page.startNewConversation();
        page.sendByKeyboard("I want to apply for a loan");
        page.awaitAnswers(1);
        page.sendByKeyboard("15000 over 36 months");
        page.awaitAnswers(2);
        page.recordArrivals();

        page.sendByKeyboard("jane.doe@example.com");
        page.awaitAnswers(3);

        page.waitFor(d -> page.assistantBubbles().size() == 3);
        List<String> recorded = recordedOutputs(conversationId);
        assertThat(page.assistantBubbles()).containsExactlyElementsOf(recorded);
        assertThat(recorded.get(2)).startsWith("Your credit rating from Demo Credit Union is A.");
        assertThat(page.userBubbles()).containsExactly("I want to apply for a loan", "15000 over 36 months",
                "jane.doe@example.com");
        long progress = page.sequenceOfRow("VERBOSE", "Checking credit rating from credit union.");
        long answer = page.sequenceOfRow("ASSISTANT_OUTPUT", "Your credit rating");
        assertThat(progress).as("the tool's progress comes before the answer").isLessThan(answer);
        double lead = page.arrivalOf(answer) - page.arrivalOf(progress);
        System.out.printf("[console] the tool's progress line was on screen %.0f ms before its answer%n", lead);
        assertThat(lead)
                .as("ms between the progress line and the answer appearing: the tool's delay, so it streamed in live")
                .isGreaterThanOrEqualTo(200);
        assertTimelineShowsEveryRecordOnce(conversationId);
    }

    @Test
    void reloadingThePageShowsTheSameHistory() {
        page.open();
        String conversationId = page.startNewConversation();
        page.sendByKeyboard("first");
        page.awaitAnswers(1);
        page.sendByKeyboard("second");
        page.awaitAnswers(2);
        page.waitFor(d -> page.assistantBubbles().size() == 2);
        assertTimelineShowsEveryRecordOnce(conversationId);
        List<Long> sequences = page.shownSequences();
        List<String> answers = page.assistantBubbles();

        page.reload();

        page.waitFor(d -> page.shownSequences().equals(sequences));
        assertThat(page.conversationId()).isEqualTo(conversationId);
        assertThat(page.assistantBubbles()).isEqualTo(answers);
        assertThat(page.userBubbles()).containsExactly("first", "second");
    }

    @Test
    void afterTheStreamIsCutItResumesWithoutDuplicatesOrGaps(Browser browser) throws Exception {
        proxy = new CuttableProxy(port);
        page = new ConsolePage(browser.driver(), "http://localhost:" + proxy.port());
        page.open();
        String conversationId = page.startNewConversation();
        page.sendByKeyboard("before the cut");
        page.awaitAnswers(1);
        page.waitFor(d -> page.assistantBubbles().size() == 1);
        page.waitFor(d -> "live".equals(page.connectionState()));

        proxy.cut();
        page.waitFor(d -> "reconnecting".equals(page.connectionState()));
        post(conversationId, "while offline 1");
        post(conversationId, "while offline 2");
        proxy.restore();

        page.waitFor(d -> page.assistantBubbles().size() == 3);
        page.waitFor(d -> "live".equals(page.connectionState()));
        assertTimelineShowsEveryRecordOnce(conversationId);
        assertThat(page.userBubbles()).containsExactly("before the cut", "while offline 1", "while offline 2");
    }

    @Test
    void aFinishedConversationReplaysStepByStepAndFast() {
        String conversationId = post(null, "replay me");
        post(conversationId, "and me");
        page.open(conversationId);
        long total = recordCount(conversationId);
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
        assertThat(page.shownSequences()).containsExactlyElementsOf(sequencesUpTo(total));
    }

    @Test
    void filtersKeepOnlyTheChosenStageAndVerboseLevel() {
        String conversationId = post(null, "filter me");
        page.open(conversationId);
        page.waitFor(d -> !page.rowTexts("ASSISTANT_OUTPUT").isEmpty());

        page.selectStageFilter("USER_INPUT");
        page.selectVerboseFilter("hidden");

        page.waitFor(d -> page.rowTexts("ASSISTANT_OUTPUT").isEmpty());
        assertThat(page.rowTexts("USER_INPUT")).hasSize(1);
        assertThat(page.rowTexts("VERBOSE")).isEmpty();
    }

    @Test
    void exportDownloadsEveryEventAsJsonLines(Browser browser) throws Exception {
        String conversationId = post(null, "export me");
        page.open(conversationId);
        long total = recordCount(conversationId);
        page.waitFor(d -> page.shownSequences().size() == total);

        page.click("export");

        Path file = browser.downloads().resolve("conversation-" + conversationId + ".jsonl");
        page.waitFor(d -> Files.exists(file));
        List<Long> sequences = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            JsonNode event = json.readTree(line);
            assertThat(event.get("eventType").asText()).isIn("AUDIT", "VERBOSE");
            sequences.add(event.get("sequence").asLong());
        }
        assertThat(sequences).containsExactlyElementsOf(sequencesUpTo(total));
    }

    @Test
    void theTraceAndAuditTabsShowWhatTheAuditApiHolds() {
        String conversationId = post(null, "What are your interest rates?");
        post(conversationId, "My card is 4111 1111 1111 1111");
        page.open(conversationId);
        page.waitFor(d -> page.assistantBubbles().size() == 2);

        page.click("tab-trace");
        page.waitFor(d -> d.findElements(By.cssSelector("#trace .trace-turn")).size() == 2);
        String trace = page.text("trace");
        assertThat(trace).contains("Turn 1", "Turn 2", "What are your interest rates?", "IntentResolutionStep",
                "BLOCKED");

        page.click("tab-audit");
        int rows = http.get().uri("/api/v1/conversation/audit/{id}", conversationId).retrieve()
                .body(JsonNode.class).size();
        page.waitFor(d -> d.findElements(By.cssSelector("#audit tbody tr")).size() == rows);
        page.click(By.cssSelector("#audit tbody tr:first-child summary"));
        assertThat(page.text("audit")).contains("\"_meta\"");
    }

    @Test
    void theLayoutFitsALaptopAndAPhoneScreen() throws Exception {
        String conversationId = post(null, "I want to apply for a loan");
        post(conversationId, "15000 over 36 months");
        post(conversationId, "jane.doe@example.com");
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
        page.waitFor(d -> !d.findElements(By.cssSelector("#trace table, #trace .error-text")).isEmpty());
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

    /** The timeline shows each record of the conversation exactly once: positions 1..n, n = what the event store holds. */
    private void assertTimelineShowsEveryRecordOnce(String conversationId) {
        long total = recordCount(conversationId);
        page.waitFor(d -> page.shownSequences().size() >= total);
        assertThat(page.shownSequences()).containsExactlyElementsOf(sequencesUpTo(total));
    }

    private long recordCount(String conversationId) {
        return jdbc.sql("""
                        SELECT count(*) FROM domainevententry
                        WHERE aggregateidentifier = ?
                          AND (payloadtype LIKE '%.StageRecordedEvent' OR payloadtype LIKE '%.VerboseRecordedEvent')""")
                .param(conversationId).query(Long.class).single();
    }

    private static List<Long> sequencesUpTo(long total) {
        return LongStream.rangeClosed(1, total).boxed().toList();
    }

    private List<String> recordedOutputs(String conversationId) {
        List<String> outputs = new ArrayList<>();
        JsonNode rows = http.get().uri("/api/v1/conversation/audit/{id}?stage=ASSISTANT_OUTPUT", conversationId)
                .retrieve().body(JsonNode.class);
        for (JsonNode row : rows) {
            try {
                outputs.add(json.readTree(row.get("payloadJson").asText()).get("output").asText());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return outputs;
    }

    private String post(String conversationId, String message) {
        String body = conversationId == null
                ? "{\"message\":\"" + message + "\"}"
                : "{\"conversationId\":\"" + conversationId + "\",\"message\":\"" + message + "\"}";
        JsonNode answer = http.post().uri("/api/v1/conversation/message").contentType(MediaType.APPLICATION_JSON)
                .body(body).retrieve().body(JsonNode.class);
        return answer.get("conversationId").asText();
    }
}
