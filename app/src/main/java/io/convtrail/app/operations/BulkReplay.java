package io.convtrail.app.operations;

import io.convtrail.query.store.EventPages;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A rebuild's replay: one reader streams the event store once, in pages of {@code pageSize} events,
 * and hands each page to every projection being rebuilt ({@link ReplayedProjection}), each in its
 * own transaction with its tokens, the projections side by side (one thread each) while the reader
 * prepares the next page ({@link ReplayedProjection#prepare}: its tokens, and each payload deserialised
 * once for all projections) and a fetcher reads the one after it: the service's work on one overlaps
 * PostgreSQL's on another, and no single thread does the reading and the preparing of every page.
 * When a page comes back short the reader has reached the head:
 * the projections' processors are started again and continue, live, from the tokens the replay
 * stored (with any gap it saw, so an event committed late is read then). A page that fails is
 * applied again (a suspect event is then isolated and quarantined, as the processor's retry does),
 * after a pause growing to {@link #MAX_PAUSE} while it keeps failing, the claims renewed meanwhile.
 * If the claims are lost (another node took a segment whose claim expired) or the replay is stopped,
 * it ends where its last page committed, and the processors (here or on the next start) complete
 * the replay from there at their own pace.
 */
final class BulkReplay implements Runnable {

    static final Duration MAX_PAUSE = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(BulkReplay.class);

    private final List<ReplayedProjection> projections;
    private final EventPages pages;
    private final int pageSize;
    private final Consumer<String> resume;
    private volatile long position = -1;
    private volatile boolean stopped;
    private volatile boolean done;
    private Thread thread;

    /** {@code resume} starts a projection's processor again once the replay has handed it over. */
    BulkReplay(List<ReplayedProjection> projections, EventPages pages, int pageSize, Consumer<String> resume) {
        this.projections = projections;
        this.pages = pages;
        this.pageSize = pageSize;
        this.resume = resume;
    }

    void start() {
        thread = new Thread(this, "rebuild-reader");
        thread.setDaemon(true);
        thread.start();
    }

    List<String> names() {
        return projections.stream().map(ReplayedProjection::name).toList();
    }

    /** The global index of the last event whose rows and tokens are committed (-1 before the first page). */
    long position() {
        return position;
    }

    /** Whether the replay still runs: the processors are not yet started again. */
    boolean running() {
        return !done;
    }

    /** Stops after the page being applied (the service is stopping): the processors are not started. */
    void stop(Duration wait) throws InterruptedException {
        stopped = true;
        if (thread != null) {
            thread.interrupt();
            thread.join(wait.toMillis());
        }
    }

    @Override
    public void run() {
        boolean handOver = true;
        ExecutorService appliers = Executors.newFixedThreadPool(projections.size(), task -> {
            Thread applier = new Thread(task, "rebuild-applier");
            applier.setDaemon(true);
            return applier;
        });
        ExecutorService fetcher = Executors.newSingleThreadExecutor(task -> {
            Thread reading = new Thread(task, "rebuild-fetcher");
            reading.setDaemon(true);
            return reading;
        });
        try {
            EventPages.Page page = pages.after(null, pageSize);
            Future<EventPages.Page> fetching = next(fetcher, page);
            List<ReplayedProjection.Prepared> prepared = prepared(page);
            while (!stopped && !page.events().isEmpty()) {
                EventPages.Page current = page;
                List<ReplayedProjection.Prepared> applying = prepared;
                List<Future<Void>> applied = new ArrayList<>(projections.size());
                for (int i = 0; i < projections.size(); i++) {
                    ReplayedProjection projection = projections.get(i);
                    ReplayedProjection.Prepared its = applying.get(i);
                    applied.add(appliers.submit(() -> {
                        applyUntilStored(projection, its);
                        return (Void) null;
                    }));
                }
                // the next page is prepared while this one is applied and the one after it is read
                page = awaited(fetching);
                fetching = next(fetcher, page);
                prepared = prepared(page);
                for (Future<Void> done : applied) {
                    awaited(done);
                }
                position = current.last().getIndex();
            }
            handOver = !stopped;
        } catch (UnableToClaimTokenException e) {
            log.error("Rebuild of {} lost its segment claims at position {} ({}); the processors go on from there",
                    names(), position, e.getMessage());
        } catch (InterruptedException e) {
            handOver = false;
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("Rebuild of {} stopped at position {}; the processors go on from there", names(), position, e);
        } finally {
            fetcher.shutdownNow();
            appliers.shutdownNow();
            // a page still being applied elsewhere rolls back before the processors take over
            handOver &= terminated(appliers);
            if (handOver) {
                names().forEach(resume);
            }
            done = true;
        }
    }

    /** The page after {@code page}, read by the fetcher meanwhile; none after the short (or empty) page at the head. */
    private Future<EventPages.Page> next(ExecutorService fetcher, EventPages.Page page) {
        if (page.events().size() < pageSize) {
            return CompletableFuture.completedFuture(EventPages.Page.EMPTY);
        }
        return fetcher.submit(() -> pages.after(page.last(), pageSize));
    }

    private List<ReplayedProjection.Prepared> prepared(EventPages.Page page) {
        ReplayedProjection.TokenSteps steps = new ReplayedProjection.TokenSteps(page.events().size());
        return projections.stream().map(projection -> projection.prepare(page.events(), steps)).toList();
    }

    private void applyUntilStored(ReplayedProjection projection, ReplayedProjection.Prepared page)
            throws InterruptedException {
        long pause = 0;
        while (true) {
            try {
                projection.apply(page);
                return;
            } catch (UnableToClaimTokenException e) {
                throw e;
            } catch (Exception e) {
                if (stopped) {
                    throw new InterruptedException("rebuild stopped");
                }
                log.warn("Rebuild of {}: a page after position {} failed ({}); applying it again",
                        projection.name(), position, e.toString());
                log.debug("Rebuild page failure", e);
                Thread.sleep(pause);
                projection.extendClaims();
                pause = Math.min(MAX_PAUSE.toMillis(), Math.max(250, pause * 2));
            }
        }
    }

    private static boolean terminated(ExecutorService appliers) {
        try {
            return appliers.awaitTermination(MAX_PAUSE.toSeconds() * 6, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits for a page read or applied; its failure (claims lost, stopped, the store unreadable) ends the replay. */
    private static <T> T awaited(Future<T> work) throws InterruptedException {
        try {
            return work.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
