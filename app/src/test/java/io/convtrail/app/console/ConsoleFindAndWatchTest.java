package io.convtrail.app.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.app.console.HeadlessChromium.Browser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import io.convtrail.testsupport.store.EventStoreProbe;
import org.springframework.test.context.TestPropertySource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's finding and watching views in a real headless Chromium: the Conversations list finds a
 * conversation by what the user typed and opens it (and its address shows the same list again), the Trace
 * tab draws each turn's steps on a time axis, the Overview charts the last hour from the service's own
 * metrics, and a message typed while a tool turn runs is shown once. The demo tool is slowed to 1.5 s (the
 * same properties as {@link ConsoleLiveProgressTest}, so the two share one application context).
 */
@ConvtrailIntegrationTest
@TestPropertySource(properties = "convtrail.demo-tool.delay=1500ms")
@ExtendWith(HeadlessChromium.class)
class ConsoleFindAndWatchTest {

    @LocalServerPort
    int port;

    @Autowired
    EventStoreProbe storeProbe;

    @Autowired
    ObjectMapper json;

    ConsolePage page;
    Browser browser;
    RecordedConversation server;

    @BeforeEach
    void openConsole(Browser browser) {
        this.browser = browser;
        page = new ConsolePage(browser.driver(), "http://localhost:" + port);
        page.resize(1280, 800, false);
        server = new RecordedConversation(port, storeProbe, json);
    }

    @Test
    void theConversationsViewFindsAConversationByTextAndOpensIt() throws Exception {
        String marker = "walrus" + UUID.randomUUID().toString().substring(0, 8);
        String wanted = server.post(null, "What are your interest rates, " + marker + "?");
        server.post(null, "What are your interest rates?");
        page.open();
        page.click("nav-conversations");
        page.waitFor(d -> d.findElement(By.id("conversations-page")).isDisplayed());
        browser.driver().findElement(By.name("q")).sendKeys(marker.toUpperCase());
        page.click("conversations-search");

        page.waitFor(d -> "1".equals(d.findElement(By.id("conversations-status")).getAttribute("data-loaded")));
        assertThat(listed()).containsExactly(wanted);
        String link = page.address();
        assertThat(link).endsWith("#conversations?q=" + marker.toUpperCase());
        Path shot = page.screenshot("conversations", 1280, 800, false);
        assertThat(Files.size(shot)).isPositive();

        new Select(browser.driver().findElement(By.name("outcome"))).selectByValue("blocked");
        page.click("conversations-search");
        page.waitFor(d -> "0".equals(d.findElement(By.id("conversations-status")).getAttribute("data-loaded")));
        assertThat(page.address()).contains("outcome=blocked");

        page.openUrl(link);
        page.waitFor(d -> "1".equals(d.findElement(By.id("conversations-status")).getAttribute("data-loaded")));
        assertThat(browser.driver().findElement(By.name("q")).getAttribute("value")).isEqualTo(marker.toUpperCase());
        assertThat(listed()).as("the link shows the same list").containsExactly(wanted);

        page.click(By.cssSelector("#conversation-list a.conversation-link"));
        page.waitFor(d -> wanted.equals(page.conversationId()) && page.assistantBubbles().size() == 1);
        assertThat(page.userBubbles()).containsExactly("What are your interest rates, " + marker + "?");
        assertThat(page.address()).endsWith("#" + wanted);
    }

    @Test
    void theTraceTabDrawsEachTurnsStepsOnATimeAxis() throws Exception {
        String conversationId = server.post(null, "I want to apply for a loan");
        server.post(conversationId, "15000 over 36 months");
        server.post(conversationId, "jane.doe@example.com");
        page.open(conversationId);
        page.waitFor(d -> page.assistantBubbles().size() == 3);
        page.click("tab-trace");
        page.waitFor(d -> d.findElements(By.cssSelector("#trace svg.waterfall")).size() == 3);

        List<Map<String, Object>> bars = bars(3);
        assertThat(bars).isNotEmpty();
        assertThat(bars).extracting(b -> b.get("step")).contains("ToolOrchestrationStep");
        double previousStart = -1;
        for (Map<String, Object> bar : bars) {
            assertThat(((Number) bar.get("width")).doubleValue()).as("bar of %s", bar.get("step")).isPositive();
            double start = ((Number) bar.get("startMs")).doubleValue();
            assertThat(start).as("steps are drawn in the order they started").isGreaterThanOrEqualTo(previousStart);
            previousStart = start;
        }
        Map<String, Object> tool = bars.stream().filter(b -> "ToolOrchestrationStep".equals(b.get("step")))
                .findFirst().orElseThrow();
        assertThat(((Number) tool.get("durationMs")).doubleValue()).as("the slowed tool's bar")
                .isGreaterThanOrEqualTo(1500);
        assertThat(((Number) tool.get("width")).doubleValue()).as("the longest step draws the widest bar")
                .isEqualTo(bars.stream().mapToDouble(b -> ((Number) b.get("width")).doubleValue()).max().orElseThrow());
        page.js("document.querySelectorAll('#trace svg.waterfall')[2].scrollIntoView({block: 'start'})");
        assertThat(Files.size(page.screenshot("trace-waterfall", 1280, 800, false))).isPositive();
    }

    @Test
    void theOverviewChartsTheLastHour() throws Exception {
        server.post(null, "What are your interest rates?");
        page.open();
        page.click("nav-overview");
        page.waitFor(d -> !d.findElements(By.cssSelector("[data-chart='turns'] rect.outcome-answered")).isEmpty());
        assertThat(points("latency", "p95")).isPositive();
        assertThat(points("lag", "audit")).isPositive();
        assertThat(points("streams", "sse")).isPositive();
        assertThat(page.text("overview-summary")).containsPattern("[1-9]\\d* turns? in the last hour");
        assertThat(Files.size(page.screenshot("overview", 1280, 800, false))).isPositive();
    }

    @Test
    void aMessageTypedWhileAToolTurnRunsIsShownOnceAndAJsonAnswerAsACard() {
        page.open();
        page.startNewConversation();
        page.sendByKeyboard("I want to apply for a loan");
        page.awaitAnswers(1);
        page.sendByKeyboard("15000 over 36 months");
        page.awaitAnswers(2);

        page.sendByKeyboard("jane.doe@example.com");
        page.waitFor(d -> page.rowTexts("VERBOSE").stream().anyMatch(l -> l.contains("Checking credit rating")));
        page.sendByKeyboard("yes");
        page.waitFor(d -> page.userBubbles().contains("yes"));
        assertThat(page.userBubbles()).as("each message once while the tool runs").containsExactly(
                "I want to apply for a loan", "15000 over 36 months", "jane.doe@example.com", "yes");
        assertThat(waitingBubbles()).as("one … per unanswered message").isEqualTo(2);

        page.awaitAnswers(4);
        page.waitFor(d -> page.assistantBubbles().size() == 4);
        assertThat(page.userBubbles()).containsExactly(
                "I want to apply for a loan", "15000 over 36 months", "jane.doe@example.com", "yes");
        assertThat(waitingBubbles()).isZero();
        String card = page.text("transcript");
        assertThat(card).contains("status", "SUBMITTED", "reference", "LN-15000-36");
        page.click(By.cssSelector("#transcript .json-answer .raw-json summary"));
        assertThat(browser.driver().findElement(By.cssSelector("#transcript .json-answer .raw-json pre")).getText())
                .contains("\"reference\": \"LN-15000-36\"");
    }

    private List<String> listed() {
        @SuppressWarnings("unchecked")
        List<String> ids = (List<String>) page.js(
                "return [...document.querySelectorAll('#conversation-list tbody tr')].map(r => r.dataset.conversationId)");
        return ids;
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> bars(int turn) {
        return (List<Map<String, Object>>) page.js("return [...document.querySelectorAll('#trace svg.waterfall')["
                + (turn - 1) + "].querySelectorAll('rect.bar')].map(r => ({step: r.dataset.step, "
                + "startMs: Number(r.dataset.startMs), durationMs: Number(r.dataset.durationMs), "
                + "width: r.getBBox().width}))");
    }

    private long points(String chart, String series) {
        Object count = page.js("const g = document.querySelector(\"[data-chart='" + chart + "'] [data-series='"
                + series + "']\"); return g ? g.querySelectorAll('circle').length : 0");
        return ((Number) count).longValue();
    }

    private long waitingBubbles() {
        return ((Number) page.js("return document.querySelectorAll('#transcript .bubble.waiting').length")).longValue();
    }
}
