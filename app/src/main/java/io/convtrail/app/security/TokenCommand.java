package io.convtrail.app.security;

import io.convtrail.api.security.AccessTokens;
import io.convtrail.api.security.Role;
import org.springframework.boot.convert.DurationStyle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code java -jar convtrail.jar token --sub alice --roles user --ttl 1h}: prints a token signed with
 * the secret the service uses (CONVTRAIL_SECURITY_JWT_SECRET, else the generated secret file, created
 * if it does not exist yet) and exits; the service is not started.
 */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Print an access token signed with the service's secret, then exit.")
public class TokenCommand implements Callable<Integer> {

    @Option(names = "--sub", required = true, description = "the caller's id (the token's sub)")
    String subject;

    @Option(names = "--roles", split = ",", defaultValue = "user",
            description = "comma-separated: user, auditor, admin (default: ${DEFAULT-VALUE})")
    List<String> roles;

    @Option(names = "--ttl", defaultValue = "1h", description = "how long the token is valid, e.g. 30m, 1h, 7d (default: ${DEFAULT-VALUE})")
    String ttl;

    @Option(names = "--secret-file", description = "the generated secret file (default: CONVTRAIL_SECURITY_JWT_GENERATEDSECRETFILE or ./data/jwt-secret)")
    Path secretFile;

    private final Map<String, String> environment;

    public TokenCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    /** Runs the command with its arguments; answers the process exit code. */
    public static int run(String[] args, Map<String, String> environment) {
        return new CommandLine(new TokenCommand(environment)).execute(args);
    }

    @Override
    public Integer call() {
        List<Role> granted = new ArrayList<>();
        for (String name : roles) {
            granted.add(Role.fromClaim(name.strip()).orElseThrow(() -> new CommandLine.ParameterException(
                    new CommandLine(this), "unknown role '" + name + "' (user, auditor, admin)")));
        }
        Duration life = DurationStyle.detectAndParse(ttl);
        Path file = secretFile != null ? secretFile
                : Path.of(environment.getOrDefault("CONVTRAIL_SECURITY_JWT_GENERATEDSECRETFILE", "./data/jwt-secret"));
        JwtSecret secret = JwtSecret.resolve(environment.get("CONVTRAIL_SECURITY_JWT_SECRET"), file);
        System.out.println(AccessTokens.mint(secret.key(), subject, granted, life));
        return 0;
    }
}
