package io.convtrail.bench;

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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * convtrail as a child JVM ({@code java -jar app/target/convtrail.jar}), so that its heap and RSS
 * are its own and not mixed with the bench's clients. Its output goes to a log file next to the
 * results.
 */
final class ServiceProcess implements AutoCloseable {

    /** Tool latency off: the bench measures the engine, not a simulated remote call. */
    private static final String DEMO_TOOL_DELAY = "convtrail.demo-tool.delay";
    private static final List<String> BENCH_LIMITS = List.of(
            "--convtrail.request.per-client-rate=1000000", "--convtrail.request.per-client-burst=1000000",
            "--convtrail.stream.max-per-client=1000000", "--convtrail.turn.max-turns-per-minute=1000000");
    /**
     * The bench's master key (any 32 bytes): the service runs against an external database, where encryption is
     * off unless a master key is set. {@code --app-arg=--convtrail.encryption.master-key=…} overrides it.
     */
    private static final String MASTER_KEY = "YmVuY2gtbWFzdGVyLWtleS0wMTIzNDU2Nzg5YWJjZGU=";
    private static final String MASTER_KEY_PROPERTY = "convtrail.encryption.master-key";
    private static final Pattern HEAP = Pattern.compile("total (\\d+)K, used (\\d+)K");
    private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");

    private final Process process;
    private final int port;
    private final Path log;
    private final Settings settings;

    /**
     * What a run may switch between restarts (scenarios 7, 10, 11): security (tokens from {@link BenchTokens}),
     * encryption of personal content, and further service arguments, which win over {@code --app-args}.
     */
    record Settings(boolean secured, boolean encrypted, List<String> args) {

        /** How every scenario runs unless it compares: security and encryption on. */
        static final Settings DEFAULT = new Settings(true, true, List.of());

        Settings withoutSecurity() {
            return new Settings(false, encrypted, args);
        }

        Settings withoutEncryption() {
            return new Settings(secured, false, args);
        }

        /** {@code --some.property=value}. */
        Settings with(String arg) {
            List<String> more = new ArrayList<>(args);
            more.add(arg);
            return new Settings(secured, encrypted, List.copyOf(more));
        }
    }

    private ServiceProcess(Process process, int port, Path log, Settings settings) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.settings = settings;
    }

    static ServiceProcess start(BenchOptions options, BenchDatabase db, Path log) throws Exception {
        return start(options, db, log, freePort(), Settings.DEFAULT);
    }

    /** Starts it again on the same port, so clients keep their base URL. */
    ServiceProcess restart(BenchOptions options, BenchDatabase db) throws Exception {
        return restart(options, db, settings);
    }

    /** The same, in other settings. */
    ServiceProcess restart(BenchOptions options, BenchDatabase db, Settings next) throws Exception {
        close();
        return start(options, db, log, port, next);
    }

    private static ServiceProcess start(BenchOptions options, BenchDatabase db, Path log, int port,
                                        Settings settings) throws Exception {
        Path jar = options.appJar();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first (see docs/performance.md)");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options.appJvmArgs());
        command.add("-jar");
        command.add(jar.toString());
        command.add("--server.port=" + port);
        command.add("--spring.datasource.url=" + db.url());
        command.add("--spring.datasource.username=" + db.user());
        command.add("--spring.datasource.password=" + db.password());
        command.add("--management.endpoints.web.exposure.include=*");
        command.add("--convtrail.security.enabled=" + settings.secured());
        command.add("--convtrail.security.jwt.secret=" + BenchTokens.SECRET);
        command.add("--convtrail.encryption.enabled=" + settings.encrypted());
        if (options.appArgs().stream().noneMatch(a -> a.startsWith("--" + MASTER_KEY_PROPERTY + "="))) {
            command.add("--" + MASTER_KEY_PROPERTY + "=" + MASTER_KEY);
        }
        if (options.appArgs().stream().noneMatch(a -> a.startsWith("--" + DEMO_TOOL_DELAY + "="))) {
            command.add("--" + DEMO_TOOL_DELAY + "=0ms");
        }
        // every bench client connects from one address, and scenario 5 grows one conversation as fast as it can:
        // the per-client and per-conversation limits meant for real clients would throttle the measurement
        for (String limit : BENCH_LIMITS) {
            String key = limit.substring(0, limit.indexOf('=') + 1);
            if (options.appArgs().stream().noneMatch(a -> a.startsWith(key))) {
                command.add(limit);
            }
        }
        command.addAll(settings.args());
        // Spring joins a property given twice on the command line with a comma: the setting's value must be the only one
        options.appArgs().stream().filter(a -> settings.args().stream().noneMatch(s -> sameKey(a, s)))
                .forEach(command::add);
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        // a bench stopped by Ctrl-C or a timeout must not leave the service running
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "bench-stop-service"));
        ServiceProcess service = new ServiceProcess(process, port, log, settings);
        service.awaitHealthy(Duration.ofMinutes(3));
        Phases.service(process.pid());
        return service;
    }

    private static boolean sameKey(String arg, String other) {
        return arg.contains("=") && arg.substring(0, arg.indexOf('=') + 1).equals(other.substring(0, other.indexOf('=') + 1));
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** Resident set size of the service JVM (not of PostgreSQL, which is another process). */
    long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS for pid " + pid());
    }

    /**
     * Heap after a full collection: {used, committed} in bytes. The live set, not garbage waiting to go,
     * while the service allocates little between the two jcmd calls (idle or holding streams).
     */
    long[] heapAfterFullGc() throws Exception {
        jcmd("GC.run");
        Matcher m = HEAP.matcher(jcmd("GC.heap_info"));
        if (!m.find()) {
            throw new IllegalStateException("cannot read jcmd GC.heap_info");
        }
        return new long[]{Long.parseLong(m.group(2)) * 1024, Long.parseLong(m.group(1)) * 1024};
    }

    /**
     * The live set in bytes, collected and counted in one operation (a class histogram after a full GC).
     * Unlike {@link #heapAfterFullGc()}, whose two jcmd calls are a few hundred ms apart, it holds none
     * of what a busy service allocates between them (an export writing 10 MB/s makes many times that in
     * garbage).
     */
    long liveHeapBytes() throws Exception {
        Matcher m = HISTOGRAM_TOTAL.matcher(jcmd("GC.class_histogram"));
        if (!m.find()) {
            throw new IllegalStateException("cannot read jcmd GC.class_histogram");
        }
        return Long.parseLong(m.group(1));
    }

    String jcmd(String... command) throws Exception {
        List<String> line = new ArrayList<>();
        line.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        line.add(String.valueOf(pid()));
        line.addAll(List.of(command));
        Process p = new ProcessBuilder(line).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    private void awaitHealthy(Duration timeout) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("convtrail exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<String> r = http.send(health, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"UP\"")) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        close();
        throw new IllegalStateException("convtrail did not become healthy within " + timeout + "; see " + log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
