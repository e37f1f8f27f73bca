package io.convtrail.app;

import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

import java.util.List;

/**
 * {@code convtrail serve [--name=value ...]}: runs the service, the same as no command at all. It is
 * here so {@code --help} lists it; {@link ConvtrailCommand#serviceArguments} hands its options to
 * Spring Boot without picocli reading them, and picocli only ever answers {@code serve --help}.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the service (the default when no command is given).",
                "Options are Spring Boot settings, e.g. --server.port=8081 --spring.profiles.active=postgres;"
                        + " every setting of application.yml can be given this way or as an environment variable."})
final class ServeCommand implements Runnable {

    @Unmatched
    List<String> settings;

    @Override
    public void run() {
        // reached only through picocli, i.e. for --help or --version, which picocli answers itself
    }
}
