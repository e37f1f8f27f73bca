package io.convtrail.app.fault;

import io.convtrail.testsupport.TestTokens;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The built service ({@code app/target/convtrail.jar}) as a child process, exactly as an operator
 * runs it: {@code java -jar}, its output in a log file, stopped by a real signal.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(180);
    private static final Random RANDOM = new Random();
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    /**
     * The lock of the fault tests that run several service processes and load at once: the fault suite runs
     * two tests at a time (see the failsafe configuration), but never two of these, so a test's bounds on
     * takeovers and restarts are not measured on a machine that two such tests overload together.
     */
    public static final String MANY_PROCESSES = "fault-suite: many service processes";

    private final Process process;
    private final Path log;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ServiceProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts the jar with these {@code --key=value} arguments and waits until it answers health UP. */
    public static ServiceProcess start(Path log, int port, String... args) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("convtrail.jar", "target/convtrail.jar")).toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException("no service jar at " + jar + ": run the package phase first");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(), "--server.port=" + port,
                // the fault clients authenticate as an admin of the test secret
                "--" + TestTokens.SECRET_PROPERTY));
        command.addAll(List.of(args));
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        ServiceProcess service = new ServiceProcess(process, log, port);
        service.awaitHealthy();
        return service;
    }

    /**
     * A port free now, for a process started next, taken below the kernel's ephemeral range: a port
     * {@code new ServerSocket(0)} hands out is one the kernel may give the next outgoing connection as its
     * source port (a node's connections to PostgreSQL, say) before the process binds it, and RabbitMQ
     * failed to boot on such a port ({@code eaddrinuse}). Each port is handed out once per JVM.
     */
    public static synchronized int freePort() throws IOException {
        int below = ephemeralRangeStart();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = 10_000 + RANDOM.nextInt(below - 10_000);
            if (HANDED_OUT.add(port) && bindable(port)) {
                return port;
            }
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The first port of {@code net.ipv4.ip_local_port_range} (32768 where it cannot be read). */
    private static int ephemeralRangeStart() {
        try {
            int start = Integer.parseInt(Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                    .trim().split("\\s+")[0]);
            return start > 11_000 ? start : 32_768;
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    Path log() {
        return log;
    }

    private void awaitHealthy() throws InterruptedException, IOException {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited with " + process.exitValue() + " while starting:\n"
                        + tail(40));
            }
            if (healthStatus() == 200) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the service did not become healthy within " + STARTUP + ":\n" + tail(40));
    }

    /** The HTTP status of {@code /actuator/health}, or -1 when it does not answer within 5 s. */
    int healthStatus() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** SIGTERM, as a service manager stops it. */
    void terminate() {
        process.destroy();
    }

    /** SIGKILL: the process gets no chance to clean up. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Waits for the process to end; answers its exit code, or throws if it is still running. */
    int awaitExit(Duration atMost) throws InterruptedException {
        if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the service did not stop within " + atMost);
        }
        return process.exitValue();
    }

    public List<String> logLines() throws IOException {
        return Files.readAllLines(log);
    }

    private String tail(int lines) throws IOException {
        List<String> all = logLines();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** Stops it cleanly if it still runs (a killed embedded database would outlive it otherwise). */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            terminate();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    /** Stops a PostgreSQL that a killed service left running on {@code dataDir}, so no test leaves one behind. */
    static void stopLeftoverPostmaster(Path dataDir) throws IOException, InterruptedException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        String pid = Files.readAllLines(pidFile).get(0).trim();
        var postmaster = ProcessHandle.of(Long.parseLong(pid));
        if (postmaster.isPresent() && postmaster.get().isAlive()) {
            postmaster.get().destroy();
            postmaster.get().onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
    }
}
