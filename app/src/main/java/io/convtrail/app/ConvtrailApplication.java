package io.convtrail.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** convtrail: the command side and the query side in one process (profiles may split them later). */
@SpringBootApplication(scanBasePackages = "io.convtrail", excludeName = {
        // writes to $HOME and calls out to the internet at startup
        "org.axonframework.springboot.autoconfig.UpdateCheckerAutoConfiguration",
        // callers are bearer tokens; a generated user with a logged password would be a second way in
        "org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration"
})
public class ConvtrailApplication {

    /**
     * {@code token …}, {@code verify …} and {@code --help} run their command and exit (the service does
     * not start; {@link ConvtrailCommand}); {@code serve [options]}, or options alone, run the service.
     */
    public static void main(String[] args) {
        if (ConvtrailCommand.handles(args)) {
            System.exit(ConvtrailCommand.execute(args, System.getenv()));
        }
        OrderedShutdown.install(SpringApplication.run(ConvtrailApplication.class,
                ConvtrailCommand.serviceArguments(args)));
    }
}
