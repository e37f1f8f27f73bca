package io.convtrail.testsupport.fuzz;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Malformed STOMP over a raw WebSocket (no STOMP client, which would refuse to write them): frames
 * that do not parse (unknown commands, headers without a colon, bad escapes, a content-length that
 * lies, no terminating NUL, random bytes, oversized), and well-formed frames a client may not send
 * (SEND, SUBSCRIBE to garbage, before or after CONNECT). Each session sends a few, waits briefly for
 * the server's answer (an ERROR frame, a close) and is dropped. Seeded like {@link HostileRequests}.
 */
public final class HostileStompFrames {


    private final Random random;
    private final HttpClient http;
    private final URI endpoint;
    /** A valid CONNECT (it carries the token), after which the hostile frames reach the session. */
    private final String connect;

    /** @param authorization a valid {@code Authorization} header value for the CONNECT frame */
    public HostileStompFrames(long seed, HttpClient http, URI endpoint, String authorization) {
        this.random = new Random(seed ^ 0x5704L);
        this.http = http;
        this.endpoint = endpoint;
        this.connect = "CONNECT\naccept-version:1.2\nhost:localhost\nAuthorization:" + authorization + "\n\n\0";
    }

    /** Runs {@code sessions} hostile sessions, eight at a time; a session the server would not open is a failure. */
    public int sendAll(int sessions, Queue<String> failures) {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CompletableFuture<?>[] all = new CompletableFuture<?>[sessions];
            for (int i = 0; i < sessions; i++) {
                Object[] frames = frames();
                all[i] = CompletableFuture.runAsync(() -> session(frames, failures), pool);
            }
            CompletableFuture.allOf(all).get(3, TimeUnit.MINUTES);
        } catch (Exception e) {
            failures.add("STOMP fuzz did not finish: " + e);
        } finally {
            pool.shutdownNow();
        }
        return sessions;
    }

    private void session(Object[] frames, Queue<String> failures) {
        CompletableFuture<String> answered = new CompletableFuture<>();
        WebSocket socket;
        try {
            socket = http.newWebSocketBuilder().connectTimeout(java.time.Duration.ofSeconds(5))
                    .buildAsync(endpoint, new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                            answered.complete("text");
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                            answered.complete("close " + statusCode);
                            return null;
                        }

                        @Override
                        public void onError(WebSocket webSocket, Throwable error) {
                            answered.complete("error");
                        }
                    }).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            failures.add("STOMP handshake failed: " + e);
            return;
        }
        try {
            for (Object frame : frames) {
                if (frame instanceof String text) {
                    socket.sendText(text, true).get(5, TimeUnit.SECONDS);
                } else {
                    socket.sendBinary(ByteBuffer.wrap((byte[]) frame), true).get(5, TimeUnit.SECONDS);
                }
            }
            answered.get(300, TimeUnit.MILLISECONDS);
        } catch (Exception closedOrSilent) {
            // the server may close on the first bad frame, or say nothing to a frame it ignores
        } finally {
            socket.abort();
        }
    }

    private Object[] frames() {
        Object hostile = switch (random.nextInt(14)) {
            case 0 -> "HELLO\n\n\0";
            case 1 -> "CONNECT\nno-colon-here\n\n\0";
            case 2 -> "CONNECT\naccept-version:1.2\nlogin:a\\qb\n\n\0";
            case 3 -> "SEND\ndestination:/topic/convengine/audit/" + new UUID(random.nextLong(), random.nextLong()) + "\ncontent-length:999\n\nabc\0";
            case 4 -> "CONNECT\naccept-version:1.2\nheart-beat:x,y\n\n\0";
            case 5 -> "SUBSCRIBE\nid:1\ndestination:/topic/convengine/audit/" + garbage() + "\n\n\0";
            case 6 -> "SEND\ndestination:/topic/convengine/audit/" + new UUID(random.nextLong(), random.nextLong()) + "\n\n{\"forged\":true}\0";
            case 7 -> "SUBSCRIBE\ndestination:/topic/convengine/audit/" + new UUID(random.nextLong(), random.nextLong()) + "\n\n\0"; // no id
            case 8 -> "UNSUBSCRIBE\nid:nope\n\n\0";
            case 9 -> "SEND\ndestination:/topic/x\n\n" + "x".repeat(70 * 1024) + "\0";
            case 10 -> "CONNECT\naccept-version:1.2"; // no end of headers, no NUL
            case 11 -> randomBytes();
            case 12 -> "\0\0\0\n\n\r\n";
            default -> "SUBSCRIBE\nid:" + garbage() + "\ndestination:" + garbage() + "\nreceipt:" + garbage() + "\n\n\0";
        };
        return random.nextBoolean() ? new Object[]{connect, hostile} : new Object[]{hostile};
    }

    private String garbage() {
        return switch (random.nextInt(5)) {
            case 0 -> "not-a-uuid";
            case 1 -> "../../etc/passwd";
            case 2 -> "x".repeat(2000);
            case 3 -> "%00";
            default -> "1-1-1-1-1";
        };
    }

    private byte[] randomBytes() {
        byte[] bytes = new byte[1 + random.nextInt(200)];
        random.nextBytes(bytes);
        return bytes;
    }
}
