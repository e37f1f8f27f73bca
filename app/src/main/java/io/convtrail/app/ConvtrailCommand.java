package io.convtrail.app;

import io.convtrail.app.security.TokenCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.Map;
import java.util.Set;

/**
 * The jar's command line: {@code token} and {@code verify} do their job and exit without starting the
 * service; {@code --help} lists them. Anything else (no arguments, or Spring Boot's own
 * {@code --key=value} options) runs the service, so those options never meet picocli's parser.
 */
@Command(name = "convtrail", mixinStandardHelpOptions = true,
        description = "Without a command: runs the service (Spring Boot options such as --server.port=8081 apply).",
        subcommands = VerifyCommand.class)
final class ConvtrailCommand {

    private static final Set<String> OWN = Set.of("token", "verify", "help", "-h", "--help", "-V", "--version");

    private ConvtrailCommand() {
    }

    /** True when the arguments are a command of this line rather than the service's options. */
    static boolean handles(String[] args) {
        return args.length > 0 && OWN.contains(args[0]);
    }

    static int execute(String[] args, Map<String, String> environment) {
        CommandLine line = new CommandLine(new ConvtrailCommand());
        line.addSubcommand("token", new CommandLine(new TokenCommand(environment)));
        line.addSubcommand("help", new CommandLine.HelpCommand());
        return line.execute(args);
    }
}
