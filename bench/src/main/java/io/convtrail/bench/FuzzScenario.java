package io.convtrail.bench;

import io.convtrail.testsupport.api.ConvtrailApi;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.testsupport.fuzz.FuzzVerdict;
import io.convtrail.testsupport.fuzz.HostileRequests;
import io.convtrail.testsupport.fuzz.HostileRequests.Endpoint;
import io.convtrail.testsupport.fuzz.HostileStompFrames;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Scenario 8, hostile input at length: the CI fuzz test's generators ({@code test-support}) for
 * {@code --fuzz-requests} requests against every endpoint the running service maps (read from
 * {@code /actuator/mappings}) and both stream transports, judged the same way: no 5xx, no stack
 * trace in an answer or in the service's log, refusals as problem+json, the data unchanged.
 */
final class FuzzScenario {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TABLES = List.of("domainevententry", "snapshotevententry", "audit_event",
            "trace_turn", "trace_step", "trace_stage");

    private final BenchOptions options;
    private final BenchDatabase db;
    private final ServiceProcess service;
    private final ConvtrailApi client;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    FuzzScenario(BenchOptions options, BenchDatabase db, ServiceProcess service, ConvtrailApi client) {
        this.options = options;
        this.db = db;
        this.service = service;
        this.client = client;
    }

    List<Figure> run(Map<String, Object> details) throws Exception {
        long seed = options.fuzzSeed();
        int count = options.fuzzRequests();
        UUID seeded = UUID.randomUUID();
        client.turn(seeded, "What are your interest rates?");
        Map<String, Long> rowsBefore = settledRows();
        String verifyBefore = new String(client.getBytes("/api/v1/conversation/audit/" + seeded + "/verify").body(),
                StandardCharsets.UTF_8);
        long logOffset = Files.size(service.log());
        List<Endpoint> endpoints = endpoints();
        Progress.say("scenario 8: " + count + " hostile requests over " + endpoints.size() + " endpoints, seed " + seed
                + " (repeat with --fuzz-seed=" + seed + ")");

        Map<Integer, Integer> statuses = new TreeMap<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        LongList micros = new LongList();
        long started = System.nanoTime();
        send(new HostileRequests(seed, endpoints, BenchTokens.authorization("/actuator")), count, statuses, failures, micros);
        double seconds = (System.nanoTime() - started) / 1e9;
        int stompSessions = Math.max(300, count / 50);
        new HostileStompFrames(seed, http, URI.create(client.baseUrl().replace("http", "ws") + "/ws-convengine"),
                BenchTokens.authorization("/actuator"))
                .sendAll(stompSessions, failures);

        boolean unchanged = settledRows().equals(rowsBefore) && verifyBefore.equals(new String(
                client.getBytes("/api/v1/conversation/audit/" + seeded + "/verify").body(), StandardCharsets.UTF_8));
        List<String> logLines = logSince(logOffset);
        long traceLines = logLines.stream().filter(FuzzVerdict::isTraceOrError).count();
        long fiveXx = statuses.entrySet().stream().filter(e -> e.getKey() >= 500).mapToLong(Map.Entry::getValue).sum();
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("seed", seed);
        detail.put("requests", count);
        detail.put("endpoints", endpoints.stream().map(e -> e.method() + " " + e.pattern()).toList());
        detail.put("statuses", statuses);
        detail.put("stompSessions", stompSessions);
        detail.put("failures", failures.stream().limit(50).toList());
        detail.put("failureCount", failures.size());
        detail.put("logLines", logLines.size());
        detail.put("logTraceOrErrorLines", traceLines);
        detail.put("logRefusalLines", logLines.stream().filter(l -> l.contains("RefusalLog")).count());
        detail.put("dataUnchanged", unchanged);
        details.put("scenario7", detail);
        boolean clean = fiveXx == 0 && failures.isEmpty() && traceLines == 0 && unchanged;
        String note = String.format("seed %d; %d STOMP sessions; statuses %s; %d failures; %d log lines (%d stack-trace "
                        + "or ERROR lines); data %s", seed, stompSessions, statuses, failures.size(), logLines.size(),
                traceLines, unchanged ? "unchanged" : "CHANGED");
        Progress.say("scenario 8: " + note);
        Percentiles latency = Percentiles.of(micros);
        return List.of(
                Figure.rate("8", "hostile requests answered, " + count + " (8 concurrent)", "req/s", count / seconds,
                        "none", 0, "0 × 5xx, no stack trace, data unchanged", clean, note),
                Figure.latency("8", "hostile request latency", latency, "none", Percentiles.NONE, null, null,
                        fiveXx + " × 5xx"));
    }

    private void send(HostileRequests requests, int count, Map<Integer, Integer> statuses,
                      ConcurrentLinkedQueue<String> failures, LongList micros) throws InterruptedException {
        ExecutorService senders = Executors.newFixedThreadPool(8);
        Semaphore inFlight = new Semaphore(16);
        try (Progress progress = Progress.every2s("scenario 8", () -> statuses.toString())) {
            for (int i = 0; i < count; i++) {
                HostileRequests.Request request = requests.next();
                inFlight.acquire();
                senders.execute(() -> {
                    try {
                        one(request, statuses, failures, micros);
                    } finally {
                        inFlight.release();
                    }
                });
            }
            senders.shutdown();
            if (!senders.awaitTermination(30, TimeUnit.MINUTES)) {
                failures.add("requests still running after 30 minutes");
            }
        }
    }

    private void one(HostileRequests.Request request, Map<Integer, Integer> statuses,
                     ConcurrentLinkedQueue<String> failures, LongList micros) {
        int status;
        try {
            long t0 = System.nanoTime();
            HttpResponse<byte[]> response = request.send(http, client.baseUrl(), Duration.ofSeconds(60));
            long took = (System.nanoTime() - t0) / 1000;
            status = response.statusCode();
            String wrong = FuzzVerdict.judge(request, status, response.headers().firstValue("Content-Type").orElse(null),
                    new String(response.body(), StandardCharsets.UTF_8));
            if (wrong != null) {
                failures.add(wrong + ": " + status + " for " + request.describe());
            }
            synchronized (micros) {
                micros.add(took);
            }
        } catch (IllegalArgumentException unsendable) {
            status = -1; // a header value the JDK client refuses to send
        } catch (Exception e) {
            if (FuzzVerdict.refusedAtTheConnection(request, e)) {
                status = -3; // an oversized body cut off by Tomcat's own refusal: see FuzzVerdict
            } else {
                failures.add(e + " for " + request.describe());
                status = -2;
            }
        }
        synchronized (statuses) {
            statuses.merge(status, 1, Integer::sum);
        }
    }

    /** Every mapping of the running service, as its actuator lists them. */
    private List<Endpoint> endpoints() throws IOException, InterruptedException {
        JsonNode root = JSON.readTree(client.getBytes("/actuator/mappings").body());
        Set<Endpoint> endpoints = new LinkedHashSet<>();
        for (JsonNode context : root.path("contexts")) {
            for (JsonNode servlet : context.path("mappings").path("dispatcherServlets")) {
                for (JsonNode mapping : servlet) {
                    JsonNode conditions = mapping.path("details").path("requestMappingConditions");
                    List<String> methods = new ArrayList<>();
                    conditions.path("methods").forEach(m -> methods.add(m.asText()));
                    for (JsonNode pattern : conditions.path("patterns")) {
                        if (!servedByDefault(pattern.asText())) {
                            continue;
                        }
                        if (methods.isEmpty()) {
                            endpoints.add(new Endpoint(null, pattern.asText()));
                        }
                        methods.forEach(m -> endpoints.add(new Endpoint(m, pattern.asText())));
                    }
                }
            }
        }
        for (String path : List.of("/", "/asyncapi.yaml", "/ws-convengine", "/ws-convengine/info",
                "/ws-convengine/{server}/{session}/xhr_send")) {
            endpoints.add(new Endpoint(null, path));
        }
        return new ArrayList<>(endpoints);
    }

    /**
     * The bench exposes every actuator endpoint (it reads heap and thread figures); the service exposes
     * health, info, metrics and projections by default. Only those are fuzzed: the others are operator
     * tools that do what they are asked (a heap dump, a log level change), which no fuzzing should do.
     */
    private static boolean servedByDefault(String pattern) {
        return !pattern.startsWith("/actuator") || pattern.equals("/actuator")
                || pattern.matches("/actuator/(health|info|metrics|projections)(/.*)?");
    }

    private Map<String, Long> settledRows() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            JsonNode status = JSON.readTree(client.getBytes("/actuator/projections").body());
            if (status.path("projections").path("audit").path("lag").asLong(-1) == 0
                    && status.path("projections").path("trace").path("lag").asLong(-1) == 0) {
                break;
            }
            Thread.sleep(200);
        }
        Map<String, Long> rows = new LinkedHashMap<>();
        for (String table : TABLES) {
            rows.put(table, db.queryLong("SELECT count(*) FROM " + table));
        }
        return rows;
    }

    private List<String> logSince(long offset) throws IOException {
        try (RandomAccessFile log = new RandomAccessFile(service.log().toFile(), "r")) {
            log.seek(offset);
            byte[] bytes = new byte[(int) Math.min(log.length() - offset, 64L * 1024 * 1024)];
            log.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8).lines().toList();
        }
    }
}
