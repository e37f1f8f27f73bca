package io.convtrail.app.security;

import io.convtrail.api.security.AccessTokens;
import io.convtrail.api.security.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;

/**
 * What the log says about access at startup. With a generated secret (no secret, no identity
 * provider configured), one line with a console link whose fragment carries an admin token, like
 * Jupyter's: the two-command start stays two commands. A fragment is never sent to the server, so the
 * token is in no request line or access log. With security off, a warning nobody can miss.
 */
@Component
public class StartupAccessReport {

    private static final Logger log = LoggerFactory.getLogger("io.convtrail");

    private final ConvtrailSecurityProperties properties;
    private final ObjectProvider<JwtSecret> secret;
    private volatile String consoleUrl;

    StartupAccessReport(ConvtrailSecurityProperties properties, ObjectProvider<JwtSecret> secret) {
        this.properties = properties;
        this.secret = secret;
    }

    @EventListener
    void ready(ApplicationReadyEvent event) {
        int port = event.getApplicationContext() instanceof WebServerApplicationContext web && web.getWebServer() != null
                ? web.getWebServer().getPort() : -1;
        if (!properties.enabled()) {
            log.warn("SECURITY IS OFF (convtrail.security.enabled=false): anyone who reaches port {} can post into, "
                    + "read, stream and rebuild every conversation. Use it only on a trusted network.", port);
            return;
        }
        JwtSecret generated = secret.getIfAvailable();
        if (generated != null && generated.generated()) {
            String token = AccessTokens.mint(generated.key(), "console-admin", List.of(Role.ADMIN),
                    properties.console().tokenTtl());
            consoleUrl = "http://localhost:" + port + "/#token=" + token;
            log.info("Open the console (admin token valid for {}): {}", properties.console().tokenTtl(), consoleUrl);
        }
    }

    /** The logged console link, when a secret was generated. */
    public Optional<String> consoleUrl() {
        return Optional.ofNullable(consoleUrl);
    }
}
