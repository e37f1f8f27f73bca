package io.convtrail.app.fault;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A RabbitMQ of the test's own, with the STOMP plugin, on random ports and in its own directories, so a
 * test can stop and restart the broker without touching the system's (which other processes use). It
 * runs Debian's {@code rabbitmq-server} script from its installation directory, not the {@code /usr/sbin}
 * wrapper, which would switch to the {@code rabbitmq} user. Without that installation the test class is
 * skipped with a message saying how to get it, except under {@code CI=true}, where it fails.
 */
final class PrivateRabbitMq implements AutoCloseable {

    static final String HOST = "127.0.0.1";
    private static final Path INSTALLATION = Path.of("/usr/lib/rabbitmq/lib");
    private static final Duration STARTUP = Duration.ofSeconds(120);

    private final Path home;
    private final Map<String, String> environment;
    private final int amqpPort;
    private final int stompPort;
    private Process process;

    private PrivateRabbitMq(Path home, Map<String, String> environment, int amqpPort, int stompPort) {
        this.home = home;
        this.environment = environment;
        this.amqpPort = amqpPort;
        this.stompPort = stompPort;
    }

    /** Writes its configuration under {@code home} and starts it (without waiting: see {@link #awaitUp()}). */
    static PrivateRabbitMq start(Path home) throws IOException {
        Path dir = home.resolve("rabbitmq").toAbsolutePath();
        Files.createDirectories(dir);
        int amqp = ServiceProcess.freePort();
        int stomp = ServiceProcess.freePort();
        Files.writeString(dir.resolve("rabbitmq.conf"), "listeners.tcp.default = " + amqp + "\n"
                + "stomp.listeners.tcp.1 = " + stomp + "\n" + "loopback_users = none\n");
        Files.writeString(dir.resolve("enabled_plugins"), "[rabbitmq_stomp].\n");
        Map<String, String> environment = Map.of(
                "RABBITMQ_NODENAME", "convtrail-it-" + UUID.randomUUID().toString().substring(0, 8) + "@localhost",
                "RABBITMQ_NODE_PORT", Integer.toString(amqp),
                "RABBITMQ_DIST_PORT", Integer.toString(ServiceProcess.freePort()),
                "RABBITMQ_CONFIG_FILE", dir.resolve("rabbitmq").toString(),
                "RABBITMQ_ENABLED_PLUGINS_FILE", dir.resolve("enabled_plugins").toString(),
                "RABBITMQ_MNESIA_BASE", dir.resolve("mnesia").toString(),
                "RABBITMQ_LOG_BASE", dir.resolve("log").toString(),
                "RABBITMQ_PID_FILE", dir.resolve("rabbitmq.pid").toString());
        PrivateRabbitMq broker = new PrivateRabbitMq(dir, environment, amqp, stomp);
        broker.launch();
        return broker;
    }

    int stompPort() {
        return stompPort;
    }

    private void launch() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(server().orElseThrow(() -> new IllegalStateException(missing())).toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("server.out").toFile()));
        builder.environment().putAll(environment);
        process = builder.start();
    }

    /**
     * Waits until its STOMP port and then its AMQP port answer (an Erlang VM takes 10 to 40 s to boot on a busy
     * 2-core machine). The AMQP listener opens last: a broker that opened STOMP and then failed to open AMQP
     * stops again, and waiting for STOMP alone took it for up.
     */
    PrivateRabbitMq awaitUp() throws InterruptedException, IOException {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (!reachable(stompPort) || !reachable(amqpPort)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("RabbitMQ did not open STOMP port " + stompPort + " and AMQP port "
                        + amqpPort + "; see " + home);
            }
            Thread.sleep(250);
        }
        return this;
    }

    /** Stops the broker, as an operator does ({@code SIGTERM}), and waits until it is gone. */
    void stop() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        // taken before the script ends: its Erlang VM is then nobody's child any more
        List<ProcessHandle> vm = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            vm.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        vm.forEach(child -> child.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> null).join());
    }

    /** Starts it again on the same ports and data. */
    void restart() throws IOException, InterruptedException {
        launch();
        awaitUp();
    }

    private static boolean reachable(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    static java.util.Optional<Path> server() {
        if (!Files.isDirectory(INSTALLATION)) {
            return java.util.Optional.empty();
        }
        try (DirectoryStream<Path> versions = Files.newDirectoryStream(INSTALLATION, "rabbitmq_server-*")) {
            for (Path version : versions) {
                Path script = version.resolve("sbin").resolve("rabbitmq-server");
                if (Files.isExecutable(script)) {
                    return java.util.Optional.of(script);
                }
            }
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.empty();
    }

    private static String missing() {
        return "broker relay tests start a RabbitMQ of their own and need it installed under " + INSTALLATION
                + " (`apt-get install rabbitmq-server`, Debian/Ubuntu; its STOMP plugin ships with it)";
    }

    /** Runs the class where RabbitMQ is installed; skips it elsewhere, except under {@code CI=true}. */
    static final class Installed implements ExecutionCondition {

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (server().isPresent() || "true".equalsIgnoreCase(System.getenv("CI"))) {
                return ConditionEvaluationResult.enabled("RabbitMQ installed, or CI where its absence is a failure");
            }
            return ConditionEvaluationResult.disabled("SKIPPED: " + missing());
        }
    }
}
