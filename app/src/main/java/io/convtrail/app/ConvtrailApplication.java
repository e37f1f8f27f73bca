package io.convtrail.app;

import io.convtrail.app.security.TokenCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

import java.util.Arrays;

/** convtrail: the command side and the query side in one process (profiles may split them later). */
@SpringBootApplication(scanBasePackages = "io.convtrail", excludeName = {
        // writes to $HOME and calls out to the internet at startup
        "org.axonframework.springboot.autoconfig.UpdateCheckerAutoConfiguration",
        // callers are bearer tokens; a generated user with a logged password would be a second way in
        "org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration"
})
public class ConvtrailApplication {

    /** {@code token …} prints an access token and exits (the service does not start); anything else runs the service. */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("token")) {
            System.exit(TokenCommand.run(Arrays.copyOfRange(args, 1, args.length), System.getenv()));
        }
        OrderedShutdown.install(SpringApplication.run(ConvtrailApplication.class, args));
    }
}
