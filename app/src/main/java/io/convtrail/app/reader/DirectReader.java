package io.convtrail.app.reader;

import io.convtrail.query.projection.ProjectionCommits;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.AbstractEventProcessor;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.async.SequencingPolicy;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.eventhandling.ErrorContext;
import org.axonframework.eventhandling.ErrorHandler;
import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.messaging.DefaultInterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.interceptors.CorrelationDataInterceptor;
import org.axonframework.lifecycle.Lifecycle;
import org.axonframework.lifecycle.Phase;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.RollbackConfiguration;
import org.axonframework.monitoring.MessageMonitor;
import org.springframework.util.Assert;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A projection's processor that reads the event store once for all the segments this node holds
 * ({@link ReaderLoop}, one thread), instead of Axon's tracking processor's thread per segment, each
 * reading every event and skipping the others' (docs/performance.md, branch {@code reader5}). Each
 * batch goes through the projection's handlers and interceptors (quarantine, commit signal) in one
 * unit of work and one transaction, which stores the tokens of every held segment together. The
 * segments are claimed in Axon's token table as a tracking processor claims them, so nodes running
 * either kind exclude each other, and it answers what operators and the segment balance ask of a
 * streaming processor: status per segment, release, merge, reset for a rebuild.
 */
public final class DirectReader extends AbstractEventProcessor implements StreamingEventProcessor, Lifecycle {

    /** What the reader is built from, besides the handlers. */
    record Settings(StreamableMessageSource<TrackedEventMessage<?>> source, TokenStore tokenStore,
                    TransactionManager transactions, SequencingPolicy<? super EventMessage<?>> policy,
                    ProjectionCommits commits, int maxSegments, int batchSize, int initialSegments,
                    Duration claimInterval, MessageMonitor<? super EventMessage<?>> monitor,
                    RollbackConfiguration rollback, ErrorHandler errors) {
    }

    private final Settings settings;
    private volatile ReaderLoop loop;
    private volatile String storageIdentifier;

    DirectReader(Builder builder, Settings settings) {
        super(builder);
        this.settings = settings;
    }

    /** Axon's builder of the parts every processor has: name, handlers, error handler, monitor, rollback rule. */
    static final class Builder extends AbstractEventProcessor.Builder {
    }

    /** The stream the reader reads ({@code axon.eventhandling.processors.<name>.source}). */
    public StreamableMessageSource<TrackedEventMessage<?>> getMessageSource() {
        return settings.source();
    }

    Settings settings() {
        return settings;
    }

    /** Started and stopped with Axon's configuration, at the phase Axon's processors use. */
    @Override
    public void registerLifecycleHandlers(LifecycleRegistry lifecycle) {
        lifecycle.onStart(Phase.INBOUND_EVENT_CONNECTORS, this::start);
        lifecycle.onShutdown(Phase.INBOUND_EVENT_CONNECTORS, this::shutdownAsync);
    }

    @Override
    public synchronized void start() {
        if (loop != null && loop.alive()) {
            return;
        }
        loop = new ReaderLoop(this);
        loop.start();
    }

    @Override
    public synchronized void shutDown() {
        ReaderLoop current = loop;
        if (current != null) {
            current.stop();
        }
    }

    @Override
    public boolean isRunning() {
        ReaderLoop current = loop;
        return current != null && current.running();
    }

    @Override
    public boolean isError() {
        return processingStatus().values().stream().anyMatch(EventTrackerStatus::isErrorState);
    }

    @Override
    public Map<Integer, EventTrackerStatus> processingStatus() {
        ReaderLoop current = loop;
        return current == null ? Map.of() : current.status();
    }

    @Override
    public String getTokenStoreIdentifier() {
        if (storageIdentifier == null) {
            storageIdentifier = settings.transactions().fetchInTransaction(
                    () -> settings.tokenStore().retrieveStorageIdentifier().orElse("--unknown--"));
        }
        return storageIdentifier;
    }

    @Override
    public void releaseSegment(int segmentId) {
        releaseSegment(segmentId, 2 * settings.claimInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void releaseSegment(int segmentId, long releaseDuration, TimeUnit unit) {
        ReaderLoop current = loop;
        if (current != null) {
            current.release(segmentId, unit.toNanos(releaseDuration));
        }
    }

    @Override
    public CompletableFuture<Boolean> splitSegment(int segmentId) {
        // nothing here splits: segments are only ever merged (SegmentBalancer), and a new database's count is a setting
        return CompletableFuture.completedFuture(false);
    }

    @Override
    public CompletableFuture<Boolean> mergeSegment(int segmentId) {
        ReaderLoop current = loop;
        return current == null ? CompletableFuture.completedFuture(false) : current.merge(segmentId);
    }

    @Override
    public boolean supportsReset() {
        return eventHandlerInvoker().supportsReset();
    }

    @Override
    public void resetTokens() {
        resetTokens(StreamableMessageSource::createTailToken);
    }

    @Override
    public <R> void resetTokens(R resetContext) {
        resetTokens(StreamableMessageSource::createTailToken, resetContext);
    }

    @Override
    public void resetTokens(
            Function<StreamableMessageSource<TrackedEventMessage<?>>, TrackingToken> initialTrackingTokenSupplier) {
        resetTokens(initialTrackingTokenSupplier, null);
    }

    @Override
    public <R> void resetTokens(
            Function<StreamableMessageSource<TrackedEventMessage<?>>, TrackingToken> initialTrackingTokenSupplier,
            R resetContext) {
        resetTokens(initialTrackingTokenSupplier.apply(settings.source()), resetContext);
    }

    /**
     * As a tracking processor resets: every segment claimed (or nothing changed, if another node holds one), the
     * handlers' reset run, and each token replaced by a replay token from {@code startPosition}, in one transaction.
     */
    @Override
    public <R> void resetTokens(TrackingToken startPosition, R resetContext) {
        Assert.state(supportsReset(), "The handlers of " + getName() + " do not support a reset");
        Assert.state(!isRunning(), "The reader of " + getName() + " must be shut down before its tokens are reset");
        TokenStore tokens = settings.tokenStore();
        settings.transactions().executeInTransaction(() -> {
            int[] segments = tokens.fetchSegments(getName());
            TrackingToken[] current = Arrays.stream(segments).mapToObj(segment -> tokens.fetchToken(getName(), segment))
                    .toArray(TrackingToken[]::new);
            eventHandlerInvoker().performReset(resetContext);
            for (int i = 0; i < segments.length; i++) {
                tokens.storeToken(ReplayToken.createReplayToken(current[i], startPosition, resetContext), getName(),
                        segments[i]);
            }
        });
    }

    @Override
    public int maxCapacity() {
        return settings.maxSegments();
    }

    /** Whether the handlers take events of this payload type and kind of message at all. */
    boolean handles(EventMessage<?> event) throws Exception {
        return canHandle(event, Segment.ROOT_SEGMENT);
    }

    void ignored(EventMessage<?> event) {
        reportIgnored(event);
    }

    /**
     * The batch's events through the interceptors and handlers, in the unit of work the caller prepared, as
     * Axon's processors run a batch ({@code processInUnitOfWork}) but without Axon's correlation data
     * interceptor, as a rebuild's pages run without it ({@code ReplayedProjection}): its providers copy each
     * event's metadata into every message made while the event is handled, and a projection makes none that
     * carries it on. A batch rolled back goes to the error handler, which propagates the failure.
     */
    void process(List<? extends EventMessage<?>> events, BatchingUnitOfWork<EventMessage<?>> batch) throws Exception {
        List<MessageHandlerInterceptor<? super EventMessage<?>>> interceptors = getHandlerInterceptors().stream()
                .filter(interceptor -> !(interceptor instanceof CorrelationDataInterceptor)).toList();
        EventHandlerInvoker handlers = eventHandlerInvoker();
        MessageMonitor<? super EventMessage<?>> monitor = settings.monitor();
        ResultMessage<?> result = batch.executeWithResult(() -> {
            MessageMonitor.MonitorCallback callback = monitor.onMessageIngested(batch.getMessage());
            return new DefaultInterceptorChain<>(batch, interceptors, event -> {
                try {
                    handlers.handle(event, Segment.ROOT_SEGMENT);
                    callback.reportSuccess();
                    return null;
                } catch (Exception e) {
                    callback.reportFailure(e);
                    throw e;
                }
            }).proceed();
        }, settings.rollback());
        if (result.isExceptional() && batch.isRolledBack()) {
            settings.errors().handleError(new ErrorContext(getName(), result.exceptionResult(), events));
        }
    }
}
