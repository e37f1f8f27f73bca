package io.convtrail.query.stream;

import org.springframework.stereotype.Component;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How many streams (SSE responses and STOMP sessions) each client holds open, capped at
 * {@code convtrail.stream.max-per-client}: every stream holds a socket and a subscriber, so one
 * client must not be able to take them all. The client is its remote address; counts are per node.
 */
@Component
public class ClientStreamSlots {

    private final int maxPerClient;
    private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();

    public ClientStreamSlots(StreamProperties properties) {
        this.maxPerClient = properties.maxPerClient();
    }

    /** One more stream for the client, or empty when it holds the maximum already. */
    public Optional<Slot> tryAcquire(String client) {
        boolean[] granted = {false};
        open.compute(client, (key, count) -> {
            int current = count == null ? 0 : count;
            if (current >= maxPerClient) {
                return count;
            }
            granted[0] = true;
            return current + 1;
        });
        return granted[0] ? Optional.of(new Slot(client)) : Optional.empty();
    }

    /** Whether the client holds the maximum (checked before a WebSocket handshake, so it can be answered 429). */
    public boolean isFull(String client) {
        return open.getOrDefault(client, 0) >= maxPerClient;
    }

    public int maxPerClient() {
        return maxPerClient;
    }

    /** A held stream; releasing it twice releases it once. */
    public final class Slot {
        private final String client;
        private final AtomicBoolean released = new AtomicBoolean();

        private Slot(String client) {
            this.client = client;
        }

        public void release() {
            if (released.compareAndSet(false, true)) {
                open.computeIfPresent(client, (key, count) -> count <= 1 ? null : count - 1);
            }
        }
    }
}
