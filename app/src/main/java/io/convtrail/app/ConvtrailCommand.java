package io.convtrail.app;

import io.convtrail.app.security.TokenCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * The jar's command line: {@code token} and {@code verify} do their job and exit without starting the
 * service; {@code --help} lists them. {@code serve}, no arguments, or Spring Boot's own
 * {@code --key=value} options run the service, so those options never meet picocli's parser.
 */
@Command(name = "convtrail", mixinStandardHelpOptions = true,
        description = "Without a command: runs the service (Spring Boot options such as --server.port=8081 apply).",
        subcommands = {ServeCommand.class, VerifyCommand.class})
final class ConvtrailCommand {

    private static final Set<String> OWN = Set.of("token", "verify", "help", "-h", "--help", "-V", "--version");
    private static final String SERVE = "serve";
    private static final Set<String> HELP = Set.of("-h", "--help", "-V", "--version");

    private ConvtrailCommand() {
    }

    /** True when the arguments are a command of this line rather than the service's options. */
    static boolean handles(String[] args) {
        return args.length > 0 && (OWN.contains(args[0])
                || SERVE.equals(args[0]) && Arrays.stream(args).skip(1).anyMatch(HELP::contains));
    }

    /** The service's own options: everything after {@code serve}, or all the arguments when there is no command. */
    static String[] serviceArguments(String[] args) {
        return args.length > 0 && SERVE.equals(args[0]) ? Arrays.copyOfRange(args, 1, args.length) : args;
    }

    static int execute(String[] args, Map<String, String> environment) {
        CommandLine line = new CommandLine(new ConvtrailCommand());
        line.addSubcommand("token", new CommandLine(new TokenCommand(environment)));
        line.addSubcommand("help", new CommandLine.HelpCommand());
        return line.execute(args);
    }
}
