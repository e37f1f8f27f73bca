package io.convtrail.app.fault;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The system RabbitMQ with its STOMP plugin, for tests of the broker relay. When RabbitMQ runs (AMQP port
 * open) but STOMP does not answer, the plugin is enabled with {@code rabbitmq-plugins enable rabbitmq_stomp}
 * (idempotent; needs the rights of RabbitMQ's administrator, as CI's root has). Without RabbitMQ the class is
 * skipped with a message saying how to get it, except under {@code CI=true}, where its absence fails the
 * tests (as {@code HeadlessChromium} does for the browser).
 */
public final class RabbitStomp implements ExecutionCondition, BeforeAllCallback {

    static final String HOST = envOr("RABBITMQ_HOST", "127.0.0.1");
    static final int STOMP_PORT = Integer.parseInt(envOr("RABBITMQ_STOMP_PORT", "61613"));
    private static final int AMQP_PORT = Integer.parseInt(envOr("RABBITMQ_AMQP_PORT", "5672"));
    private static final String PLUGINS = "/usr/sbin/rabbitmq-plugins";
    private static final String MISSING = "broker relay tests need RabbitMQ with STOMP at " + HOST + ":" + STOMP_PORT
            + ": `apt-get install rabbitmq-server && rabbitmq-plugins enable rabbitmq_stomp` (Debian/Ubuntu),"
            + " or set RABBITMQ_HOST and RABBITMQ_STOMP_PORT";

    private static volatile String problem;
    private static volatile boolean checked;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String missing = ensureStomp();
        if (missing == null || ci()) {
            return ConditionEvaluationResult.enabled("RabbitMQ STOMP present, or CI where its absence is a failure");
        }
        return ConditionEvaluationResult.disabled("SKIPPED: " + missing);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        String missing = ensureStomp();
        if (missing != null && ci()) {
            throw new IllegalStateException("CI=true but " + missing);
        }
    }

    /** Null when STOMP answers (after enabling the plugin if RabbitMQ runs without it), else why not. */
    private static synchronized String ensureStomp() {
        if (checked) {
            return problem;
        }
        checked = true;
        if (reachable(STOMP_PORT)) {
            return problem = null;
        }
        if (!reachable(AMQP_PORT)) {
            return problem = MISSING + " (nothing listens on " + HOST + ":" + AMQP_PORT + ")";
        }
        if (!Files.isExecutable(Path.of(PLUGINS))) {
            return problem = MISSING + " (RabbitMQ runs, but " + PLUGINS + " is not here to enable STOMP)";
        }
        try {
            Process enable = new ProcessBuilder(PLUGINS, "enable", "rabbitmq_stomp").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!enable.waitFor(60, TimeUnit.SECONDS) || enable.exitValue() != 0) {
                return problem = MISSING + " (`rabbitmq-plugins enable rabbitmq_stomp` failed)";
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                if (reachable(STOMP_PORT)) {
                    return problem = null;
                }
                Thread.sleep(250);
            }
            return problem = MISSING + " (the STOMP plugin is enabled but the port did not open)";
        } catch (IOException e) {
            return problem = MISSING + " (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return problem = MISSING + " (interrupted)";
        }
    }

    private static boolean reachable(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
