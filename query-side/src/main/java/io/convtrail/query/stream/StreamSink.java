package io.convtrail.query.stream;

import io.convtrail.api.stream.StreamEvent;

import java.io.IOException;

/**
 * One transport's end of a {@link StreamSubscription}. Calls come from one sender thread at a time
 * and may block (a slow client); they never run on the thread that projects events.
 */
public interface StreamSink {

    /** Label of the transport in metrics: {@code sse} or {@code stomp}. */
    String transport();

    /** The stream starts after {@code position}: what follows is every event with a higher sequence. */
    void connected(long position) throws IOException;

    void event(StreamEvent event) throws IOException;

    void heartbeat() throws IOException;

    /**
     * The sender has written everything it found waiting: what the sink held back to write together
     * goes out now. Called at the end of every sender run, so nothing waits for the next event.
     */
    default void flush() throws IOException {
    }

    /** The subscription ended; {@code lastSent} is the last sequence delivered (resume point). */
    void closed(CloseReason reason, long lastSent);

    enum CloseReason {
        /** the subscriber fell more than its buffer behind */
        OVERFLOW,
        /** the client went away, timed out, or a write to it failed */
        CLIENT_GONE,
        /** the server could not serve the stream (e.g. the read model could not be read) */
        FAILED,
        /** the transport or the application is shutting down */
        SHUTDOWN,
        /** the caller's access token expired: it reconnects with a fresh one and resumes */
        EXPIRED
    }
}
