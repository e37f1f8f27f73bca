package io.convtrail.app.operations;

import io.convtrail.query.projection.ProjectionCommits;
import io.convtrail.query.projection.ReplayedPages;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.AbstractEventProcessor;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.eventhandling.async.SequencingPolicy;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.messaging.DefaultInterceptorChain;
import org.axonframework.messaging.MessageHandler;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.interceptors.CorrelationDataInterceptor;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One projection as a rebuild feeds it: its processor's own handlers and interceptors (quarantine,
 * commit signal, ...) run on a page of events in one unit of work and one transaction, exactly as the
 * processor would run a batch, and the tokens of all its segments are stored in that transaction. Each
 * event goes to the handlers with the token of the segment that owns it, advanced as that segment's
 * processor would advance it (a replay token while the event is older than the reset), so a handler
 * sees the same replay status live processing would give it; the rows are committed with the tokens,
 * never behind them. The rebuild holds every segment's claim meanwhile: storing a token both
 * extends the claim and fails if another node took it. A page is prepared ({@link #prepare}: which
 * events, which tokens, payloads deserialised) apart from being applied, so the rebuild's reader can
 * prepare the next page while this one is written.
 */
final class ReplayedProjection {

    private static final String OWN_TOKEN_INTERCEPTOR = TrackingEventProcessor.class.getName() + "$$";

    private final String name;
    private final EventHandlerInvoker handlers;
    private final List<MessageHandlerInterceptor<? super EventMessage<?>>> interceptors;
    private final SequencingPolicy<? super EventMessage<?>> policy;
    private final TokenStore tokenStore;
    private final TransactionManager transactions;
    private final int[] segmentIds;
    private final Segment[] segments;
    /** Whether the handlers take events of a payload type and kind of message ({@link #handles}). */
    private final Map<List<Class<?>>, Boolean> handledTypes = new HashMap<>();
    /** The projection's own writer of replayed pages, null if it has none (its handlers then apply every page). */
    private final ReplayedPages direct;
    private final ProjectionCommits commits;
    /** The tokens after the last page prepared. */
    private TrackingToken[] prepared;
    /** The last page that failed when written directly: it is applied again through the handlers. */
    private volatile Prepared failedDirectly;

    /**
     * A page as the projection applies it: the events it handles (with their tokens), the tokens after it,
     * and whether those events are all stored events replayed (so its own writer may write them).
     */
    record Prepared(List<EventMessage<?>> handled, TrackingToken[] tokens, boolean replays) {
    }

    /**
     * Takes the claims of every segment of the processor (it must be shut down on this node) and their tokens.
     * {@code direct}, if not null, writes pages of replayed events without the handlers ({@link ReplayedPages});
     * {@code commits} hears of those pages' commits, as the processor's interceptor would tell it.
     */
    ReplayedProjection(String name, EventProcessingConfiguration processing, TransactionManager transactions,
                       ReplayedPages direct, ProjectionCommits commits) {
        AbstractEventProcessor processor = processing.eventProcessor(name, AbstractEventProcessor.class)
                .orElseThrow(() -> new IllegalStateException("no event processor " + name));
        this.name = name;
        this.handlers = processor.eventHandlerInvoker();
        // all but the one a tracking processor registers on itself to store its segment's token (this class stores
        // them) and Axon's correlation data interceptor: its providers copy an event's metadata into every message
        // made while it is handled (a result message per event, read from the event's metadata), and a projection
        // sends none that needs it (docs/performance.md)
        this.interceptors = processor.getHandlerInterceptors().stream()
                .filter(interceptor -> !interceptor.getClass().getName().startsWith(OWN_TOKEN_INTERCEPTOR))
                .filter(interceptor -> !(interceptor instanceof CorrelationDataInterceptor))
                .toList();
        this.policy = processing.sequencingPolicy(name);
        this.tokenStore = processing.tokenStore(name);
        this.transactions = transactions;
        this.direct = direct;
        this.commits = commits;
        this.segmentIds = transactions.fetchInTransaction(() -> tokenStore.fetchSegments(name));
        this.segments = Arrays.stream(segmentIds).mapToObj(id -> Segment.computeSegment(id, segmentIds))
                .toArray(Segment[]::new);
        this.prepared = transactions.fetchInTransaction(() -> Arrays.stream(segmentIds)
                .mapToObj(segment -> tokenStore.fetchToken(name, segment)).toArray(TrackingToken[]::new));
    }

    String name() {
        return name;
    }

    int segmentCount() {
        return segmentIds.length;
    }

    /**
     * The next page (events in global order, right after the last one prepared) as this projection
     * will apply it: the events its segments handle, each with its segment's token, and the tokens
     * after the page. Their payloads are deserialised here, once for every projection (a payload read by
     * two appliers at once would be deserialised by both), so that a reader can prepare the next page
     * while the appliers write this one. The tokens are advanced through {@code steps}, which the
     * projections being rebuilt share for the page: a token is advanced past an event once for all
     * segments that hold it.
     */
    Prepared prepare(List<TrackedEventMessage<?>> page, TokenSteps steps) {
        TrackingToken[] next = prepared.clone();
        List<EventMessage<?>> handled = new ArrayList<>(page.size());
        boolean replays = direct != null;
        for (int at = 0; at < page.size(); at++) {
            TrackedEventMessage<?> event = page.get(at);
            int owner = owner(event);
            for (int i = 0; i < next.length; i++) {
                next[i] = steps.advanced(at, next[i], event.trackingToken());
            }
            if (owner >= 0 && handles(event, segments[owner])) {
                deserialised(event);
                EventMessage<?> tracked = event.withTrackingToken(next[owner]);
                replays &= tracked instanceof DomainEventMessage && ReplayToken.isReplay(tracked);
                handled.add(tracked);
            }
        }
        prepared = next;
        return new Prepared(handled, next, replays);
    }

    /**
     * Applies a prepared page and stores the tokens it advanced to, in one transaction; on failure
     * nothing is kept and the same page can be applied again (a suspect event is then isolated, as the
     * processor's retry would).
     */
    void apply(Prepared page) throws Exception {
        if (page.handled().isEmpty()) {
            transactions.executeInTransaction(() -> store(page.tokens()));
        } else if (page.replays() && failedDirectly != page) {
            applyDirectly(page);
        } else {
            BatchingUnitOfWork<EventMessage<?>> batch = new BatchingUnitOfWork<>(page.handled());
            batch.attachTransaction(transactions);
            batch.onPrepareCommit(committing -> store(page.tokens()));
            MessageHandler<EventMessage<?>> handler = message -> {
                handlers.handle(message, Segment.ROOT_SEGMENT);
                return null;
            };
            ResultMessage<?> result = batch.executeWithResult(
                    () -> new DefaultInterceptorChain<>(batch, interceptors, handler).proceed(),
                    RollbackConfigurationType.ANY_THROWABLE);
            if (result.isExceptional()) {
                Throwable failure = result.exceptionResult();
                throw failure instanceof Exception e ? e : new IllegalStateException(failure);
            }
        }
    }

    /**
     * The page written by the projection's own writer and its tokens stored, in one transaction, without a unit
     * of work or the interceptors for each event: the page's events are all replays, which the interceptors
     * would pass through untouched (no span, no push), but for the quarantine, which only acts on a retry: if
     * the page fails, it is applied again through the handlers and interceptors.
     */
    @SuppressWarnings("unchecked")
    private void applyDirectly(Prepared page) {
        Transaction transaction = transactions.startTransaction();
        try {
            direct.writeReplayed((List<? extends DomainEventMessage<?>>) (List<?>) page.handled());
            store(page.tokens());
        } catch (RuntimeException | Error e) {
            failedDirectly = page;
            transaction.rollback();
            throw e;
        }
        try {
            transaction.commit();
        } catch (RuntimeException e) {
            // a failed commit is rolled back by the transaction manager
            failedDirectly = page;
            throw e;
        }
        commits.committed(name);
    }

    /**
     * Whether the handlers take the event, asked once per payload type and kind of message: the
     * projections' handlers choose by those alone (no handler needs a metadata value to match), and
     * Axon's answer walks every handler and its parameters, for every event.
     */
    private boolean handles(TrackedEventMessage<?> event, Segment owner) {
        return handledTypes.computeIfAbsent(List.of(event.getPayloadType(), event.getClass()),
                type -> handlers.canHandle(event, owner));
    }

    /** Renews the claims while no page commits (a page's commit renews them too). */
    void extendClaims() {
        transactions.executeInTransaction(() -> Arrays.stream(segmentIds)
                .forEach(segment -> tokenStore.extendClaim(name, segment)));
    }

    /** The segment whose processor handles the event: the one its sequence identifier hashes into. */
    private int owner(EventMessage<?> event) {
        int hash = Objects.hashCode(Objects.requireNonNullElse(policy.getSequenceIdentifierFor(event),
                event.getIdentifier()));
        for (int i = 0; i < segments.length; i++) {
            if (segments[i].matches(hash)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * As a tracking processor advances its token past an event it has read. A replay token decides by
     * the event's index against the token at the reset (Axon's {@code ReplayToken.advancedTo} compares
     * positions, not gap lists): an event at or below it that the processor had handled is a replay, the
     * first one after it ends the replay, and the gaps the store's pages drop after 60 s do not matter
     * ({@code ReplayedProjectionTokensTest}).
     */
    static TrackingToken advanced(TrackingToken current, TrackingToken event) {
        return current instanceof WrappedToken wrapped ? wrapped.advancedTo(event) : event;
    }

    /**
     * The tokens of one page's events, each advanced once for every segment of every projection being
     * rebuilt that holds the same token. A token advances past the same event to the same token whatever
     * its own position: a replay token's next token depends only on the token at the reset, its context
     * and the event's token (Axon 4.13's {@code ReplayToken.advancedTo}; its current token and whether
     * the last event was a replay play no part), and a plain token is replaced by the event's. So segments
     * whose replay tokens share the token at the reset and the context take the one advanced token
     * (from then on the same object), and a rebuild of nine segments advances one token per event instead
     * of nine (Axon's gap-aware arithmetic was 9 % of the rebuild's samples). Used by one thread.
     */
    static final class TokenSteps {

        private final TrackingToken[] from;
        private final TrackingToken[] to;

        TokenSteps(int events) {
            this.from = new TrackingToken[events];
            this.to = new TrackingToken[events];
        }

        /** {@code current} advanced past the page's event at {@code at}, whose token is {@code event}. */
        TrackingToken advanced(int at, TrackingToken current, TrackingToken event) {
            if (!(current instanceof WrappedToken)) {
                return event;
            }
            TrackingToken known = from[at];
            if (known != null && sameStep(known, current)) {
                return to[at];
            }
            TrackingToken next = ReplayedProjection.advanced(current, event);
            if (known == null) {
                from[at] = current;
                to[at] = next;
            }
            return next;
        }

        private static boolean sameStep(TrackingToken known, TrackingToken current) {
            return known == current || known instanceof ReplayToken a && current instanceof ReplayToken b
                    && Objects.equals(a.getTokenAtReset(), b.getTokenAtReset()) && Objects.equals(a.context(), b.context());
        }
    }

    /**
     * Reads the payload now, in the preparing thread; one that cannot be read is left for the handler,
     * which fails on it again and so quarantines the event alone.
     */
    private static void deserialised(EventMessage<?> event) {
        try {
            event.getPayload();
        } catch (RuntimeException unreadable) {
            // the handler meets it again
        }
    }

    private void store(TrackingToken[] next) {
        for (int i = 0; i < segmentIds.length; i++) {
            tokenStore.storeToken(next[i], name, segmentIds[i]);
        }
    }
}
