package io.convtrail.app.console;

import io.convtrail.testsupport.TestTokens;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The console as a user sees it: what they can click and type, and what they can read. */
class ConsolePage {

    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    private final ChromeDriver driver;
    private final String baseUrl;
    private final String token;

    /** A page that signs in as an admin (the test secret), through the link format the service logs. */
    ConsolePage(ChromeDriver driver, String baseUrl) {
        this(driver, baseUrl, TestTokens.admin());
    }

    ConsolePage(ChromeDriver driver, String baseUrl, String token) {
        this.driver = driver;
        this.baseUrl = baseUrl;
        this.token = token;
    }

    ConsolePage open() {
        driver.get("about:blank");
        driver.get(baseUrl + "/#token=" + token);
        waitFor(d -> d.findElement(By.id("timeline-summary")).getText().length() > 0);
        return this;
    }

    ConsolePage open(String conversationId) {
        driver.get("about:blank");
        driver.get(baseUrl + "/#token=" + token + "&conversation=" + conversationId);
        waitFor(d -> conversationId.equals(conversationId()));
        return this;
    }

    /** Opens a URL as it is (a logged link, or the console without a token). */
    ConsolePage openUrl(String url) {
        driver.get("about:blank");
        driver.get(url);
        return this;
    }

    boolean signInShown() {
        return driver.findElement(By.id("sign-in")).isDisplayed();
    }

    void signIn(String pastedToken) {
        driver.findElement(By.id("token-input")).sendKeys(pastedToken);
        driver.findElement(By.id("sign-in-submit")).click();
    }

    String address() {
        return driver.getCurrentUrl();
    }

    void forgetToken() {
        js("sessionStorage.clear(); return null");
    }

    String startNewConversation() {
        driver.findElement(By.id("new-conversation")).click();
        waitFor(d -> !"none".equals(conversationId()));
        return conversationId();
    }

    String conversationId() {
        return driver.findElement(By.id("conversation-id")).getText();
    }

    /** Types like a keyboard user: "/" jumps to the message box, Enter sends. */
    void sendByKeyboard(String text) {
        driver.findElement(By.tagName("body")).click();
        new Actions(driver).sendKeys("/").perform();
        new Actions(driver).sendKeys(text).sendKeys(Keys.ENTER).perform();
    }

    /** Waits until the engine has answered that many of the messages sent from this page. */
    void awaitAnswers(int count) {
        waitFor(d -> String.valueOf(count).equals(d.findElement(By.id("last-answer")).getAttribute("data-answered")));
    }

    List<String> assistantBubbles() {
        return texts("#transcript .bubble.assistant:not(.waiting)");
    }

    List<String> userBubbles() {
        return texts("#transcript .bubble.user");
    }

    @SuppressWarnings("unchecked")
    List<String> rowClasses(String stage) {
        return (List<String>) js("return [...document.querySelectorAll(\"#timeline .row[data-stage='" + stage
                + "']\")].map(e => e.className)");
    }

    List<String> rowTexts(String stage) {
        return texts("#timeline .row[data-stage='" + stage + "']");
    }

    /**
     * Every stream position the timeline shows, sorted, duplicates kept: stage and verbose rows carry
     * theirs, a step carries its STEP_ENTER and STEP_EXIT positions.
     */
    @SuppressWarnings("unchecked")
    List<Long> shownSequences() {
        List<Object> values = (List<Object>) js("""
                const out = [];
                for (const node of document.querySelectorAll('#timeline [data-seq], #timeline [data-exit-seq]')) {
                  if (node.dataset.seq) out.push(Number(node.dataset.seq));
                  if (node.dataset.exitSeq) out.push(Number(node.dataset.exitSeq));
                }
                return out;""");
        List<Long> sequences = new ArrayList<>();
        for (Object v : values) {
            sequences.add(((Number) v).longValue());
        }
        sequences.sort(null);
        return sequences;
    }

    /**
     * From now on, notes when each stream position first becomes visible in the timeline (page clock,
     * milliseconds), to tell a turn that streamed in live from one that arrived in a single burst.
     */
    void recordArrivals() {
        js("""
                window.__arrivals = {};
                const note = () => {
                  const now = performance.now();
                  for (const node of document.querySelectorAll('#timeline [data-seq]')) {
                    if (!(node.dataset.seq in window.__arrivals)) window.__arrivals[node.dataset.seq] = now;
                  }
                };
                note();
                new MutationObserver(note).observe(document.getElementById('timeline'), { childList: true, subtree: true });""");
    }

    double arrivalOf(long sequence) {
        return ((Number) js("return window.__arrivals['" + sequence + "']")).doubleValue();
    }

    /** The stream position of the first timeline row of that stage whose text contains the snippet. */
    long sequenceOfRow(String stage, String snippet) {
        Object sequence = ((JavascriptExecutor) driver).executeScript("""
                const row = [...document.querySelectorAll("#timeline .row[data-stage='" + arguments[0] + "']")]
                  .find(r => r.innerText.includes(arguments[1]));
                return row ? Number(row.dataset.seq) : null;""", stage, snippet);
        if (sequence == null) {
            throw new AssertionError("no " + stage + " row containing \"" + snippet + "\"");
        }
        return ((Number) sequence).longValue();
    }

    /** Scrolls the first row of that stage to the middle of the screen, as a reader would. */
    void showRow(String stage) {
        js("document.querySelector(\"#timeline .row[data-stage='" + stage + "']\").scrollIntoView({block: 'center'})");
    }

    void scrollTo(String id) {
        js("document.getElementById('" + id + "').scrollIntoView({block: 'start'})");
    }

    /** Waits for positions 1..total on screen, then checks each is there exactly once: no gap, no duplicate. */
    void assertShowsEachPositionOnce(long total) {
        waitFor(d -> shownSequences().size() >= total);
        assertThat(shownSequences()).containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
    }

    String connectionState() {
        return driver.findElement(By.id("connection")).getAttribute("data-state");
    }

    String summary() {
        return driver.findElement(By.id("timeline-summary")).getText();
    }

    void reload() {
        driver.navigate().refresh();
    }

    void selectReplaySpeed(String visibleText) {
        new Select(driver.findElement(By.id("replay-speed"))).selectByVisibleText(visibleText);
    }

    void click(String id) {
        driver.findElement(By.id(id)).click();
    }

    void focus(String id) {
        js("document.getElementById('" + id + "').focus()");
    }

    void click(By selector) {
        driver.findElement(selector).click();
    }

    String text(String id) {
        return driver.findElement(By.id(id)).getText();
    }

    void pressKey(CharSequence key) {
        new Actions(driver).sendKeys(key).perform();
    }

    void selectStageFilter(String stage) {
        new Select(driver.findElement(By.id("stage-filter"))).selectByValue(stage);
    }

    void selectVerboseFilter(String visibleText) {
        new Select(driver.findElement(By.id("verbose-filter"))).selectByVisibleText(visibleText);
    }

    /** Sizes the viewport exactly (CSS pixels, scale 1) and saves a PNG under target/console-screenshots. */
    Path screenshot(String name, int width, int height, boolean mobile) throws IOException {
        resize(width, height, mobile);
        Files.createDirectories(SCREENSHOTS);
        Path file = SCREENSHOTS.resolve(name + "-" + width + "x" + height + ".png");
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        return file;
    }

    void resize(int width, int height, boolean mobile) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of(
                "width", width, "height", height, "deviceScaleFactor", 1, "mobile", mobile));
        waitFor(d -> ((Number) js("return window.innerWidth")).intValue() == width);
    }

    long horizontalOverflow() {
        return ((Number) js("return document.documentElement.scrollWidth - window.innerWidth")).longValue();
    }

    /** What the page showed when a wait gave up, for the failure message. */
    private String state() {
        return "page at " + driver.getCurrentUrl() + ": connection '" + js("return document.getElementById('connection-text').textContent")
                + "', summary '" + js("return document.getElementById('timeline-summary').textContent")
                + "', positions shown " + shownSequences();
    }

    Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    <T> T waitFor(Function<? super ChromeDriver, T> condition) {
        return new WebDriverWait(driver, Duration.ofSeconds(20))
                .withMessage(this::state)
                .until(d -> condition.apply((ChromeDriver) d));
    }

    /** Read in one script call: the page re-renders while a turn streams in, so element handles go stale. */
    @SuppressWarnings("unchecked")
    private List<String> texts(String cssSelector) {
        return (List<String>) ((JavascriptExecutor) driver).executeScript(
                "return [...document.querySelectorAll(arguments[0])].map(e => e.innerText.trim())", cssSelector);
    }
}
