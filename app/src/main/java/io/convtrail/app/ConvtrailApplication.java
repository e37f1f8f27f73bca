package io.convtrail.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** convtrail: the command side and the query side in one process (profiles may split them later). */
@SpringBootApplication(scanBasePackages = "io.convtrail", excludeName = {
        // writes to $HOME and calls out to the internet at startup
        "org.axonframework.springboot.autoconfig.UpdateCheckerAutoConfiguration"
})
public class ConvtrailApplication {

    public static void main(String[] args) {
        OrderedShutdown.install(SpringApplication.run(ConvtrailApplication.class, args));
    }
}
