package io.convtrail.app.fault;

import io.convtrail.testsupport.TestTokens;

import java.io.BufferedReader;
import io.convtrail.testsupport.TestTokens;

import java.io.IOException;
import io.convtrail.testsupport.TestTokens;

import java.io.InputStream;
import io.convtrail.testsupport.TestTokens;

import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Follows one conversation's SSE stream the way EventSource does: when the stream ends it reconnects
 * with {@code Last-Event-ID} (the last {@code id:} seen, also from a frame without data) and goes on.
 * Keeps every delivered event's id and every frame that carried an id but no data.
 */
final class ResumingSseClient implements AutoCloseable {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Supplier<String> baseUrl;
    private final UUID conversationId;
    private final List<Long> delivered = new CopyOnWriteArrayList<>();
    private final List<String> resumeFrames = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile boolean stopped;
    private volatile InputStream current;
    private volatile long lastEventId = -1;
    private volatile int streamsEnded;

    ResumingSseClient(Supplier<String> baseUrl, UUID conversationId) {
        this.baseUrl = baseUrl;
        this.conversationId = conversationId;
        this.reader = new Thread(this::follow, "sse-follower-" + conversationId);
        reader.setDaemon(true);
        reader.start();
    }

    /** Ids of the events delivered with data, in arrival order, across reconnections. */
    List<Long> delivered() {
        return List.copyOf(delivered);
    }

    /** Frames that carried an id and no data (the server's last word before it ended the stream). */
    List<String> resumeFrames() {
        return List.copyOf(resumeFrames);
    }

    int streamsEnded() {
        return streamsEnded;
    }

    private void follow() {
        while (!stopped) {
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl.get()
                        + "/api/v1/conversation/stream/" + conversationId)).header("accept", "text/event-stream")
                        .header("authorization", TestTokens.adminBearer());
                if (lastEventId >= 0) {
                    request.header("Last-Event-ID", Long.toString(lastEventId));
                }
                HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
                current = response.body();
                if (response.statusCode() == 200) {
                    read(response.body());
                    streamsEnded++;
                }
                response.body().close();
            } catch (IOException e) {
                // the service is down or restarting: try again, as EventSource does
            } catch (InterruptedException e) {
                return;
            }
            pause();
        }
    }

    private void read(InputStream body) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        String id = null;
        String event = null;
        boolean data = false;
        StringBuilder frame = new StringBuilder();
        for (String line; (line = lines.readLine()) != null; ) {
            if (line.isEmpty()) {
                if (id != null) {
                    lastEventId = Long.parseLong(id);
                    if (data && !"CONNECTED".equals(event)) {
                        delivered.add(lastEventId);
                    } else {
                        resumeFrames.add(frame.toString().trim());
                    }
                }
                id = null;
                event = null;
                data = false;
                frame.setLength(0);
                continue;
            }
            frame.append(line).append('\n');
            if (line.startsWith("id:")) {
                id = line.substring(3).trim();
            } else if (line.startsWith("event:")) {
                event = line.substring(6).trim();
            } else if (line.startsWith("data:")) {
                data = true;
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            stopped = true;
        }
    }

    @Override
    public void close() throws InterruptedException, IOException {
        stopped = true;
        InputStream open = current;
        if (open != null) {
            open.close();
        }
        reader.interrupt();
        reader.join(5_000);
    }
}
