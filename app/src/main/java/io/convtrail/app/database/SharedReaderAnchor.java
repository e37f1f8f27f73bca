package io.convtrail.app.database;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.lifecycle.Phase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.util.concurrent.TimeUnit;

/**
 * Keeps one stream on the event store's shared reader at the head for as long as the node runs, so
 * that reader never stops. Axon's {@link EmbeddedEventStore} reads the store once for every stream at
 * the head and caches what it read; it reads only while some stream follows it. A stream behind that
 * cache reads the store on its own, and wakes from its wait for events only when the shared reader
 * signals one. After a rebuild every projection's stream is such a stream (the rebuild hands over tokens
 * the cache does not hold): nobody followed the shared reader, so it stopped, nothing signalled, and each
 * turn reached the read models when the projections' one-second wait ran out (250 ms to 1 s per turn, for
 * as many turns as it took a stream to find its token in a cache that no longer moved). With this stream
 * the shared reader always reads what this node commits (and polls for other nodes' events), its cache
 * stays current for a stream to rejoin, and a stream reading on its own is woken by every event.
 * <p>
 * The stream itself reads only every {@value #DRAIN_MILLIS} ms, from the cache: the shared reader keeps its
 * cache and wakes the other streams as long as any stream follows it, whatever that stream has read.
 * Cost: one thread, woken ten times a second, and the shared reader's poll for other nodes' events every
 * {@link EventStoreProperties#pollInterval()} even while no projection runs here (a node with no segments),
 * one indexed query each.
 */
final class SharedReaderAnchor implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SharedReaderAnchor.class);
    private static final long RETRY_SECONDS = 1;
    /** How often it reads what the shared reader cached since. */
    private static final long DRAIN_MILLIS = 100;

    private final EmbeddedEventStore store;
    private volatile boolean running;
    private Thread thread;

    SharedReaderAnchor(EmbeddedEventStore store) {
        this.store = store;
    }

    @Override
    public synchronized void start() {
        running = true;
        thread = new Thread(this::follow, "event-store-anchor");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** With the projections' processors: after the store starts, and stopped before it is. */
    @Override
    public int getPhase() {
        return Phase.INBOUND_EVENT_CONNECTORS;
    }

    private void follow() {
        while (running) {
            try (BlockingStream<TrackedEventMessage<?>> stream = store.openStream(store.createHeadToken())) {
                while (running) {
                    // it need not read promptly, only stay within the cache (10,000 events: 0.8 s of the fastest
                    // appends measured): waiting on the store's signal instead woke it for nearly every event,
                    // a thread more to run per event on a machine the turns keep busy
                    TimeUnit.MILLISECONDS.sleep(DRAIN_MILLIS);
                    while (stream.hasNextAvailable()) {
                        stream.nextAvailable();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                // the database is unreachable: its stream is opened again from the head when it answers
                log.warn("The event store's shared reader lost its anchor stream ({}); opening it again in {} s",
                        e.toString(), RETRY_SECONDS);
                try {
                    TimeUnit.SECONDS.sleep(RETRY_SECONDS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
