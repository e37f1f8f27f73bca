package io.convtrail.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * STOMP subscribers over plain WebSocket (the SockJS endpoint's {@code /websocket} transport, or
 * the bare endpoint): CONNECT, SUBSCRIBE to {@code /topic/convengine/audit/{id}}, then record
 * every MESSAGE, keyed by its {@code sequence} header (convtrail's stream position); without that
 * header, by the envelope's auditId (absent on VERBOSE envelopes).
 */
final class StompSubscribers implements AutoCloseable {

    private final String wsBase;
    private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "bench-stomp");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient http = HttpClient.newBuilder().executor(executor)
            .connectTimeout(Duration.ofSeconds(30)).build();
    private final List<Session> sessions = new ArrayList<>();
    final AtomicInteger failed = new AtomicInteger();
    private String path;

    StompSubscribers(String baseUrl) {
        this.wsBase = baseUrl.replaceFirst("^http", "ws");
    }

    int open(List<UUID> conversations, int wave, String label) throws InterruptedException {
        int subscribed = 0;
        try (Progress ignored = Progress.every2s(label, () -> sessions.size() + " opened, " + failed.get() + " failed")) {
            for (int from = 0; from < conversations.size(); from += wave) {
                List<Session> batch = new ArrayList<>();
                for (int i = from; i < Math.min(conversations.size(), from + wave); i++) {
                    batch.add(connect(conversations.get(i)));
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                for (Session s : batch) {
                    try {
                        s.subscribed.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                        subscribed++;
                    } catch (Exception e) {
                        if (failed.incrementAndGet() <= 3) {
                            Progress.say("STOMP subscriber failed: " + e.getMessage());
                        }
                    }
                }
                sessions.addAll(batch);
            }
        }
        // SUBSCRIBE is handled asynchronously by the broker; give it a moment before events flow
        Thread.sleep(1_000);
        return subscribed;
    }

    private Session connect(UUID conversationId) {
        Session session = new Session(conversationId);
        if (path == null) {
            path = firstWorkingPath(session);
            return session;
        }
        http.newWebSocketBuilder().buildAsync(URI.create(wsBase + path), session)
                .whenComplete((ws, e) -> session.failIf(e));
        return session;
    }

    /** SockJS endpoints take raw WebSocket at {@code /websocket}; a bare STOMP endpoint at its own path. */
    private String firstWorkingPath(Session session) {
        for (String candidate : List.of("/ws-convengine/websocket", "/ws-convengine")) {
            try {
                http.newWebSocketBuilder().buildAsync(URI.create(wsBase + candidate), session).get(30, TimeUnit.SECONDS);
                return candidate;
            } catch (Exception e) {
                // try the next
            }
        }
        session.failIf(new IllegalStateException("no STOMP WebSocket endpoint at /ws-convengine"));
        return "/ws-convengine/websocket";
    }

    List<Receipts> receipts() {
        return sessions.stream().map(s -> s.receipts).toList();
    }

    @Override
    public void close() {
        for (Session s : sessions) {
            s.close();
        }
        executor.shutdownNow();
    }

    /** One STOMP session over one WebSocket. */
    private static final class Session implements WebSocket.Listener {
        private static final boolean SEQUENCE_KEYS = false;
        final Receipts receipts;
        final CompletableFuture<Void> subscribed = new CompletableFuture<>();
        private final StringBuilder buffer = new StringBuilder();
        private volatile WebSocket socket;
        /**
         * The CONNECT frame's send: the JDK's WebSocket refuses a send while another is pending ("Send pending"), and
         * the server's CONNECTED can arrive before the send of CONNECT has completed, so SUBSCRIBE waits for it.
         */
        private volatile CompletableFuture<WebSocket> connectSent = CompletableFuture.completedFuture(null);

        Session(UUID conversationId) {
            this.receipts = new Receipts(conversationId, SEQUENCE_KEYS);
        }

        void failIf(Throwable e) {
            if (e != null) {
                subscribed.completeExceptionally(e);
            }
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            socket = webSocket;
            connectSent = webSocket.sendText("CONNECT\naccept-version:1.1,1.2\nhost:localhost\nheart-beat:0,0\n"
                    + "Authorization:" + BenchTokens.authorization("/api") + "\n\n\0", true);
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence text, boolean last) {
            buffer.append(text);
            if (last) {
                long now = WallClock.nowMicros();
                String frames = buffer.toString();
                buffer.setLength(0);
                for (String frame : frames.split("\0")) {
                    handle(webSocket, frame.stripLeading(), now);
                }
            }
            webSocket.request(1);
            return null;
        }

        private void handle(WebSocket webSocket, String frame, long now) {
            if (frame.startsWith("CONNECTED")) {
                connectSent.thenCompose(sent -> webSocket.sendText("SUBSCRIBE\nid:0\ndestination:/topic/convengine/audit/"
                        + receipts.conversationId + "\n\n\0", true)).whenComplete((ws, e) -> {
                    if (e != null) {
                        subscribed.completeExceptionally(e);
                    } else {
                        subscribed.complete(null);
                    }
                });
            } else if (frame.startsWith("MESSAGE")) {
                int body = frame.indexOf("\n\n");
                String json = body < 0 ? "" : frame.substring(body + 2);
                long sequence = sequenceHeader(body < 0 ? frame : frame.substring(0, body));
                if (sequence >= 0) {
                    receipts.keyedBySequence = true;
                }
                receipts.add(sequence >= 0 ? sequence : Receipts.auditId(json), now, Receipts.createdAtMicros(json));
            } else if (frame.startsWith("ERROR")) {
                subscribed.completeExceptionally(new IllegalStateException(frame));
            }
        }

        private static long sequenceHeader(String headers) {
            for (String line : headers.split("\n")) {
                if (line.startsWith("sequence:")) {
                    try {
                        return Long.parseLong(line.substring(9).trim());
                    } catch (NumberFormatException e) {
                        return -1;
                    }
                }
            }
            return -1;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            subscribed.completeExceptionally(error);
        }

        void close() {
            WebSocket s = socket;
            if (s != null) {
                s.abort();
            }
        }
    }
}
