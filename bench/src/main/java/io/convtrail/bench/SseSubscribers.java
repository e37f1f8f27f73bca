package io.convtrail.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many SSE subscribers on a few threads: JDK HttpClients (one selector thread each) feeding lines
 * to a parser per connection. A subscriber counts as connected when the service's
 * {@code CONNECTED} event arrives; it records every event that carries an {@code id:}.
 */
final class SseSubscribers implements AutoCloseable {

    private static final int CLIENTS = 2;
    private final String baseUrl;
    private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "bench-sse");
        t.setDaemon(true);
        return t;
    });
    private final List<HttpClient> clients = new ArrayList<>();
    private final List<Stream> streams = new ArrayList<>();
    final AtomicInteger failed = new AtomicInteger();

    SseSubscribers(String baseUrl) {
        this.baseUrl = baseUrl;
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(30)).executor(executor).build());
        }
    }

    /**
     * Opens one subscriber per entry of {@code conversations}, {@code wave} at a time, each wave
     * waiting for its CONNECTED events. Answers how many connected.
     */
    int open(List<UUID> conversations, int wave, String label) throws InterruptedException {
        int connected = 0;
        try (Progress ignored = Progress.every2s(label, () -> streams.size() + " opened, " + failed.get() + " failed")) {
            for (int from = 0; from < conversations.size(); from += wave) {
                List<Stream> batch = new ArrayList<>();
                for (int i = from; i < Math.min(conversations.size(), from + wave); i++) {
                    Stream s = new Stream(conversations.get(i));
                    HttpRequest request = HttpRequest.newBuilder(
                                    URI.create(baseUrl + "/api/v1/conversation/stream/" + conversations.get(i)))
                            .header("Accept", "text/event-stream")
                            .header("Authorization", BenchTokens.authorization("/api")).GET().build();
                    clients.get(i % CLIENTS).sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(s))
                            .whenComplete((response, error) -> s.ended(response, error));
                    batch.add(s);
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                for (Stream s : batch) {
                    try {
                        s.connected.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                        connected++;
                    } catch (Exception e) {
                        if (failed.incrementAndGet() <= 3) {
                            Progress.say("SSE subscriber failed: " + e.getMessage());
                        }
                    }
                }
                synchronized (streams) {
                    streams.addAll(batch);
                }
            }
        }
        return connected;
    }

    List<Receipts> receipts() {
        return streams.stream().map(s -> s.receipts).toList();
    }

    @Override
    public void close() {
        for (Stream s : streams) {
            s.cancel();
        }
        executor.shutdownNow();
    }

    /** One SSE connection: a line parser (event, id, data fields; a blank line ends an event). */
    static final class Stream implements Flow.Subscriber<String> {
        private static final boolean SEQUENCE_KEYS = true;
        final Receipts receipts;
        final CompletableFuture<Void> connected = new CompletableFuture<>();
        private volatile Flow.Subscription subscription;
        private String event;
        private String id;
        private final StringBuilder data = new StringBuilder();

        Stream(UUID conversationId) {
            this.receipts = new Receipts(conversationId, SEQUENCE_KEYS);
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (line.isEmpty()) {
                dispatch();
            } else if (line.startsWith("event:")) {
                event = value(line, 6);
            } else if (line.startsWith("id:")) {
                id = value(line, 3);
            } else if (line.startsWith("data:")) {
                if (!data.isEmpty()) {
                    data.append('\n');
                }
                data.append(value(line, 5));
            }
        }

        private void dispatch() {
            long now = WallClock.nowMicros();
            if ("CONNECTED".equals(event)) {
                connected.complete(null);
            } else if (id != null && !id.isEmpty()) {
                long key;
                try {
                    key = Long.parseLong(id);
                } catch (NumberFormatException e) {
                    key = -1;
                }
                receipts.add(key, now, Receipts.createdAtMicros(data.toString()));
                connected.complete(null);
            }
            event = null;
            id = null;
            data.setLength(0);
        }

        private static String value(String line, int from) {
            return line.length() > from && line.charAt(from) == ' ' ? line.substring(from + 1) : line.substring(from);
        }

        void ended(HttpResponse<Void> response, Throwable error) {
            if (!connected.isDone()) {
                connected.completeExceptionally(new IllegalStateException(error != null ? error.toString()
                        : "stream ended with HTTP " + response.statusCode() + " before CONNECTED"));
            }
        }

        void cancel() {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }

        @Override
        public void onError(Throwable throwable) {
            connected.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
        }
    }
}
