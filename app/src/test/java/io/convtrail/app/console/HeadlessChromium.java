package io.convtrail.app.console;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One headless system Chromium per test class, driven by the system chromedriver. Both paths are given
 * explicitly so Selenium Manager never tries to download a browser or a driver.
 *
 * <p>Without a browser the class is skipped with a message saying how to get one, except under
 * {@code CI=true}: CI must run these tests, so there a missing browser fails them.
 */
public class HeadlessChromium implements ExecutionCondition, BeforeAllCallback, AfterAllCallback, ParameterResolver {

    static final String CHROMIUM = envOr("CHROMIUM_BIN", "/usr/bin/chromium");
    static final String CHROMEDRIVER = envOr("CHROMEDRIVER_BIN", "/usr/bin/chromedriver");

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(HeadlessChromium.class);

    private static final String MISSING = "browser tests need " + CHROMIUM + " and " + CHROMEDRIVER
            + ": install them with `apt-get install chromium chromium-driver` (Debian/Ubuntu)"
            + " or set CHROMIUM_BIN and CHROMEDRIVER_BIN";

    /** Each test, not only the class, is reported skipped, so the count shows in the build output. */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (browserPresent() || ci() || context.getTestMethod().isEmpty()) {
            return ConditionEvaluationResult.enabled("browser present, or CI where its absence is a failure");
        }
        return ConditionEvaluationResult.disabled("SKIPPED: " + MISSING);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        if (!browserPresent()) {
            if (ci()) {
                throw new IllegalStateException("CI=true but " + MISSING);
            }
            System.err.println("[console browser tests] SKIPPED: " + MISSING);
            return;
        }
        Path profile = Files.createTempDirectory("convtrail-chromium-profile");
        Path downloads = Files.createTempDirectory("convtrail-chromium-downloads");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM)
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-quic", "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--window-size=1280,800",
                        "--user-data-dir=" + profile)
                .setExperimentalOption("prefs", Map.of(
                        "download.default_directory", downloads.toString(),
                        "download.prompt_for_download", false));
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
        context.getStore(NAMESPACE).put(Browser.class, new Browser(driver, downloads, profile));
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        Browser browser = context.getStore(NAMESPACE).remove(Browser.class, Browser.class);
        if (browser != null) {
            browser.driver().quit();
            deleteTree(browser.profile());
            deleteTree(browser.downloads());
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Browser.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(NAMESPACE).get(Browser.class, Browser.class);
    }

    /** The driver and where the browser saves downloads. */
    public record Browser(ChromeDriver driver, Path downloads, Path profile) {
    }

    private static boolean browserPresent() {
        return Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER));
    }

    private static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
