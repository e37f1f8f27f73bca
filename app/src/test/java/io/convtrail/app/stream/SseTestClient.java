package io.convtrail.app.stream;

import io.convtrail.testsupport.TestTokens;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real text/event-stream client over the JDK HttpClient: it parses the stream line by line as a
 * browser's EventSource does (event, id, data, comments, blank line ends an event) and queues the
 * events for the test. It does not reconnect: tests reconnect explicitly, with Last-Event-ID. It
 * sends an admin token ({@link TestTokens}) unless the headers carry an {@code Authorization}.
 */
public final class SseTestClient implements AutoCloseable {

    /** One dispatched event; {@code name} is "message" when the server sent no {@code event:} field. */
    public record Event(String name, String id, String data) {
        public long sequence() {
            return Long.parseLong(id);
        }
    }

    private static final Event END = new Event("", "", "");

    private final HttpResponse<InputStream> response;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final AtomicInteger comments = new AtomicInteger();
    private final Thread reader;
    private volatile boolean ended;

    private SseTestClient(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = new Thread(this::read, "sse-test-client");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    public static SseTestClient open(HttpClient http, URI uri, Map<String, String> headers) {
        Map<String, String> sent = new java.util.LinkedHashMap<>(headers);
        sent.putIfAbsent("Authorization", TestTokens.adminBearer());
        try {
            HttpResponse<InputStream> response = attempt(http, uri, sent);
            if (response.statusCode() != 200) {
                String body = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
                throw new AssertionError("SSE " + uri + " answered " + response.statusCode() + ": " + body);
            }
            return new SseTestClient(response);
        } catch (IOException e) {
            throw new AssertionError("SSE " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A stream request with exactly these headers; the response, whatever its status. */
    public static HttpResponse<InputStream> attempt(HttpClient http, URI uri, Map<String, String> headers)
            throws IOException, InterruptedException {
        // a stream answers its headers at once: waiting longer means the response is lost, which must fail the
        // test rather than hang the build
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(30)).GET();
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    /** Starts reading a response that answered 200. */
    public static SseTestClient reading(HttpResponse<InputStream> response) {
        return new SseTestClient(response);
    }

    HttpResponse<InputStream> response() {
        return response;
    }

    /** The next event, failing the test if none comes in time or the stream ended. */
    public Event next(Duration timeout) {
        try {
            Event event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (event == null) {
                throw new AssertionError("no SSE event within " + timeout);
            }
            if (event == END) {
                events.add(END);
                throw new AssertionError("the SSE stream ended");
            }
            return event;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next {@code count} events. */
    public List<Event> next(int count, Duration timeout) {
        List<Event> taken = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (taken.size() < count) {
            taken.add(next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime()))));
        }
        return taken;
    }

    /** Events until (and including) the one with sequence {@code last}. */
    public List<Event> upTo(long last, Duration timeout) {
        List<Event> taken = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        Event event;
        do {
            event = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            taken.add(event);
        } while (event.sequence() < last);
        return taken;
    }

    /** True when nothing more arrives within {@code quiet}. */
    public boolean silentFor(Duration quiet) {
        try {
            Event event = events.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
            if (event == END) {
                events.add(END);
                return true;
            }
            return event == null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    int comments() {
        return comments.get();
    }

    public boolean ended() {
        return ended;
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String name = null;
            String id = null;
            StringBuilder data = null;
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Event(name == null ? "message" : name, id, data.toString()));
                    }
                    name = null;
                    data = null;
                    continue;
                }
                if (line.startsWith(":")) {
                    comments.incrementAndGet();
                    continue;
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                switch (field) {
                    case "event" -> name = value;
                    case "id" -> id = value;
                    case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                    default -> { }
                }
            }
        } catch (IOException closed) {
            // the test closed the stream, or the server dropped it
        } finally {
            ended = true;
            events.add(END);
        }
    }
}
