package io.convtrail.bench;

import io.convtrail.testsupport.api.ConvtrailApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Scenario 3 (stream latency at each SSE subscriber count and for STOMP) and scenario 6 (the
 * service's memory with many open SSE streams). Subscribers are spread over conversations, a few
 * per conversation; while they listen, paced clients run turns on those conversations. Baseline:
 * PostgreSQL LISTEN/NOTIFY, commit to receipt.
 */
final class StreamScenario {

    private static final int WAVE = 500;

    private final BenchOptions options;
    private final BenchDatabase db;
    private final ServiceProcess service;
    private final ConvtrailApi client;
    private final TurnDriver driver;

    StreamScenario(BenchOptions options, BenchDatabase db, ServiceProcess service, ConvtrailApi client,
                   TurnDriver driver) {
        this.options = options;
        this.db = db;
        this.service = service;
        this.client = client;
        this.driver = driver;
    }

    List<Figure> run(Map<String, Object> details) throws Exception {
        List<Figure> figures = new ArrayList<>();
        boolean measureMemory = options.runs(6);
        if (options.runs(3)) {
            Percentiles notify = NotifyBaseline.measure(db, 300);
            Progress.say(String.format("s3 baseline NOTIFY: p50 %.2f ms, p99 %.2f ms", notify.p50Millis(),
                    notify.p99Millis()));
            for (int n : options.sseSubscribers()) {
                boolean memoryHere = measureMemory && n == options.memoryStreams();
                figures.addAll(sse(n, notify, memoryHere, details));
                measureMemory &= !memoryHere;
            }
            for (int n : options.stompSubscribers()) {
                if (n > 0) {
                    figures.add(stomp(n, notify, details));
                }
            }
        }
        if (measureMemory) {
            figures.addAll(memoryOnly(options.memoryStreams(), details));
        }
        return figures;
    }

    private List<Figure> sse(int n, Percentiles notify, boolean memoryHere, Map<String, Object> details)
            throws Exception {
        List<UUID> conversations = conversations(n);
        List<Figure> figures = new ArrayList<>();
        ServiceMemory idle = memoryHere ? ServiceMemory.of(service) : null;
        List<Receipts> receipts;
        long before;
        int connected;
        TurnDriver.Run turns;
        try (SseSubscribers subscribers = new SseSubscribers(client.baseUrl())) {
            connected = subscribers.open(spread(conversations, n), WAVE, "s3 opening " + n + " SSE streams");
            if (memoryHere) {
                figures.addAll(memory(n, idle, openMemory(), details));
            }
            before = db.head();
            turns = Phases.timed("3 turns, " + n + " SSE subscribers",
                    () -> drive(conversations, "s3 turns for " + n + " SSE subscribers"));
            drain();
            receipts = subscribers.receipts();
        }
        StreamLatency latency = StreamLatency.of(receipts, CommitTimes.after(db, conversations, before));
        String target = streamTarget(n);
        Boolean met = target == null ? null : latency.best().p99Millis() <= streamTargetMillis(n);
        figures.add(0, Figure.latency("3", "SSE " + latency.definition() + ", " + n + " subscribers", latency.best(),
                "PostgreSQL NOTIFY commit→receipt", notify, target, met, receivedNote(latency, connected, n)));
        details.put("s3.sse." + n, detail(latency, connected, n, conversations.size(), turns));
        return figures;
    }

    private Figure stomp(int n, Percentiles notify, Map<String, Object> details) throws Exception {
        List<UUID> conversations = conversations(n);
        List<Receipts> receipts;
        long before;
        int connected;
        TurnDriver.Run turns;
        try (StompSubscribers subscribers = new StompSubscribers(client.baseUrl())) {
            connected = subscribers.open(spread(conversations, n), WAVE, "s3 opening " + n + " STOMP sessions");
            before = db.head();
            turns = Phases.timed("3 turns, " + n + " STOMP subscribers",
                    () -> drive(conversations, "s3 turns for " + n + " STOMP subscribers"));
            drain();
            receipts = subscribers.receipts();
        }
        StreamLatency latency = StreamLatency.of(receipts, CommitTimes.after(db, conversations, before));
        String target = streamTarget(n);
        Boolean met = target == null ? null : latency.best().p99Millis() <= streamTargetMillis(n);
        details.put("s3.stomp." + n, detail(latency, connected, n, conversations.size(), turns));
        return Figure.latency("3", "STOMP " + latency.definition() + ", " + n + " subscribers",
                latency.best(), "PostgreSQL NOTIFY commit→receipt", notify, target, met,
                receivedNote(latency, connected, n));
    }

    /** Issue 15's commit→receipt targets, SSE and STOMP alike: p99 20 ms at 1,000 subscribers, 100 ms at 10,000. */
    private static String streamTarget(int subscribers) {
        return subscribers == 1_000 || subscribers == 10_000 ? "p99 ≤ " + streamTargetMillis(subscribers) + " ms" : null;
    }

    private static int streamTargetMillis(int subscribers) {
        return subscribers == 1_000 ? 20 : 100;
    }

    private List<Figure> memoryOnly(int n, Map<String, Object> details) throws Exception {
        List<UUID> conversations = conversations(n);
        ServiceMemory idle = ServiceMemory.of(service);
        try (SseSubscribers subscribers = new SseSubscribers(client.baseUrl())) {
            subscribers.open(spread(conversations, n), WAVE, "s6 opening " + n + " SSE streams");
            return memory(n, idle, openMemory(), details);
        }
    }

    /** The memory with the streams open, and the heap's class histogram beside the log: what the bytes are. */
    private ServiceMemory openMemory() throws Exception {
        ServiceMemory open = ServiceMemory.of(service);
        Path histogram = service.log().resolveSibling(service.log().getFileName().toString()
                .replace("-service.log", "-s6-heap-histogram.txt"));
        Files.writeString(histogram, service.jcmd("GC.class_histogram"));
        Progress.say("s6 heap histogram in " + histogram);
        return open;
    }

    private List<Figure> memory(int n, ServiceMemory idle, ServiceMemory open, Map<String, Object> details) {
        double perStreamKb = (open.heapUsed() - idle.heapUsed()) / 1024.0 / n;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("idle", idle);
        m.put("open", open);
        m.put("heapPerStreamKb", perStreamKb);
        details.put("s6." + n, m);
        Progress.say(String.format("s6 %d streams: heap %.0f MB (idle %.0f MB), RSS %.0f MB (idle %.0f MB)", n,
                ServiceMemory.mb(open.heapUsed()), ServiceMemory.mb(idle.heapUsed()), ServiceMemory.mb(open.rss()),
                ServiceMemory.mb(idle.rss())));
        double heapMb = ServiceMemory.mb(open.heapUsed());
        return List.of(
                Figure.rate("6", "heap live after full GC, " + n + " SSE streams", "MB", heapMb,
                        "same, no streams open", ServiceMemory.mb(idle.heapUsed()), "≤ 512 MB", heapMb <= 512,
                        String.format("%.1f KB per stream; committed %.0f MB", perStreamKb,
                                ServiceMemory.mb(open.heapCommitted()))),
                Figure.rate("6", "RSS, " + n + " SSE streams", "MB", ServiceMemory.mb(open.rss()),
                        "same, no streams open", ServiceMemory.mb(idle.rss()), null, null, null));
    }

    /** Lets the last events reach the read model and then the subscribers before they are counted. */
    private void drain() throws Exception {
        ProjectionTokens.awaitCaughtUp(db, db.head(), 120, "s3 projections catching up");
        Thread.sleep(1_000);
    }

    private TurnDriver.Run drive(List<UUID> conversations, String label) throws InterruptedException {
        return driver.over(conversations, Math.min(4, conversations.size()), options.streamSeconds(),
                options.streamTurnsPerSecond(), label);
    }

    /** Conversations for n subscribers, each with one turn run so it exists before anyone subscribes. */
    private List<UUID> conversations(int subscribers) throws Exception {
        int count = Math.max(1, (subscribers + options.subscribersPerConversation() - 1)
                / options.subscribersPerConversation());
        List<UUID> conversations = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(8, count));
        try {
            List<Future<Integer>> turns = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                UUID id = UUID.randomUUID();
                conversations.add(id);
                turns.add(pool.submit(() -> client.turn(id, options.messages().get(0))));
            }
            for (Future<Integer> turn : turns) {
                if (turn.get() != 200) {
                    throw new IllegalStateException("a first turn answered HTTP " + turn.get());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        // a subscriber starts after the read model's head: let those first turns reach it
        ProjectionTokens.awaitCaughtUp(db, db.head(), 120, "s3 projections catching up");
        return conversations;
    }

    /** Subscriber i listens to conversation i mod count: the same number on each conversation. */
    private static List<UUID> spread(List<UUID> conversations, int subscribers) {
        List<UUID> spread = new ArrayList<>(subscribers);
        for (int i = 0; i < subscribers; i++) {
            spread.add(conversations.get(i % conversations.size()));
        }
        return spread;
    }

    private static String receivedNote(StreamLatency latency, int connected, int n) {
        return String.format("%d/%d connected; %d of %d expected deliveries", connected, n, latency.received(),
                latency.expected());
    }

    private static Map<String, Object> detail(StreamLatency latency, int connected, int n, int conversations,
                                              TurnDriver.Run turns) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("subscribers", n);
        d.put("connected", connected);
        d.put("conversations", conversations);
        d.put("turns", turns.turns());
        d.put("failedTurns", turns.failures());
        d.put("received", latency.received());
        d.put("expected", latency.expected());
        d.put("unmatched", latency.unmatched());
        d.put("commitToReceipt", latency.commit());
        d.put("createdAtToReceipt", latency.created());
        d.put("commitToReadModelCommit", latency.projectionLag());
        Progress.say(String.format("s3 %d subscribers: %s p50 %.1f ms p99 %.1f ms (of which commit→read-model "
                        + "commit p50 %.1f ms p99 %.1f ms); received %d of %d", n, latency.definition(),
                latency.best().p50Millis(), latency.best().p99Millis(), latency.projectionLag().p50Millis(),
                latency.projectionLag().p99Millis(), latency.received(), latency.expected()));
        return d;
    }
}
