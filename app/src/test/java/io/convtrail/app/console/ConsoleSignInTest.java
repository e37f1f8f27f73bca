package io.convtrail.app.console;

import io.convtrail.api.security.AccessTokens;
import io.convtrail.api.security.Role;
import io.convtrail.app.console.HeadlessChromium.Browser;
import io.convtrail.app.security.StartupAccessReport;
import io.convtrail.testsupport.PostgresTestConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two-command start with security on: no secret configured, so the service generates one and
 * logs a console link carrying an admin token. Opened from that link the console works and the token
 * leaves the address bar; without a token it shows the sign-in box, and a pasted user token works
 * until it expires, when the console asks for a new one.
 */
@ExtendWith({OutputCaptureExtension.class, HeadlessChromium.class})
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties =
        "convtrail.security.jwt.generated-secret-file=" + ConsoleSignInTest.SECRET_FILE)
@Import(PostgresTestConfiguration.class)
class ConsoleSignInTest {

    static final String SECRET_FILE = "target/console-sign-in/jwt-secret";

    @LocalServerPort
    int port;

    @Autowired
    StartupAccessReport startup;

    @Test
    void openedFromTheLoggedLinkTheConsoleWorksAndWithoutATokenItAsksForOne(Browser browser, CapturedOutput log)
            throws Exception {
        String link = startup.consoleUrl().orElseThrow();
        assertThat(link).startsWith("http://localhost:" + port + "/#token=");
        assertThat(log.getOut()).contains(link);

        ConsolePage page = new ConsolePage(browser.driver(), "http://localhost:" + port);
        page.resize(1280, 800, false);
        page.openUrl(link);
        page.waitFor(d -> !page.address().contains("#token"));
        assertThat(page.address()).doesNotContain("token");
        assertThat(page.signInShown()).isFalse();
        page.startNewConversation();
        page.sendByKeyboard("What are your interest rates?");
        page.awaitAnswers(1);
        page.waitFor(d -> page.assistantBubbles().size() == 1);
        assertThat(page.assistantBubbles().get(0)).startsWith("Our personal loans run from 1,000 to 50,000");

        page.forgetToken();
        page.openUrl("http://localhost:" + port + "/");
        page.waitFor(d -> page.signInShown());

        byte[] secret = Files.readString(Path.of(SECRET_FILE), StandardCharsets.UTF_8).strip()
                .getBytes(StandardCharsets.UTF_8);
        page.signIn(AccessTokens.mint(secret, "erin", List.of(Role.USER), Duration.ofMinutes(10)));
        page.waitFor(d -> !page.signInShown());
        page.startNewConversation();
        page.sendByKeyboard("What are your interest rates?");
        page.awaitAnswers(1);
        // a user's stream opens once its first turn made the conversation its own; the answer arrives through it
        page.waitFor(d -> page.assistantBubbles().size() == 1);
        assertThat(page.rowTexts("USER_INPUT")).hasSize(1);

        // a token that expires: the service ends the stream then, and the console asks for a new token
        page.forgetToken();
        page.openUrl("http://localhost:" + port + "/");
        page.waitFor(d -> page.signInShown());
        page.signIn(AccessTokens.mint(secret, "erin", List.of(Role.USER), Duration.ofSeconds(6)));
        page.waitFor(d -> !page.signInShown());
        page.startNewConversation();
        page.sendByKeyboard("What are your interest rates?");
        page.awaitAnswers(1);
        page.waitFor(d -> page.signInShown());
    }
}
