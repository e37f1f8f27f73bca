package io.convtrail.app.tracing;

import io.convtrail.api.event.StageRecordedEvent;
import io.convtrail.api.event.VerboseRecordedEvent;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Carries a turn's trace through Axon: every command sent while a span is current (the POST's,
 * started by Spring's HTTP observation) gets the W3C {@code traceparent} in its metadata; the
 * aggregate's events inherit it (a correlation data provider, see {@link TracingConfiguration});
 * and each projection handles a turn's start and end inside a child span of that trace, so the
 * projection's log lines for them carry the POST's trace id. The key is {@code traceparent}
 * because Axon already writes a {@code traceId} of its own (the id of the first message of a chain).
 */
public final class TurnTracing {

    /** The metadata key: the W3C trace context, {@code 00-<trace id>-<span id>-<flags>}. */
    public static final String METADATA_KEY = "traceparent";

    private final Tracer tracer;
    private final Propagator propagator;

    public TurnTracing(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    /** Adds the current trace to each command; a command sent outside any trace leaves unchanged. */
    public MessageDispatchInterceptor<CommandMessage<?>> commandsCarryTheTrace() {
        return new MessageDispatchInterceptor<>() {
            @Override
            public BiFunction<Integer, CommandMessage<?>, CommandMessage<?>> handle(
                    List<? extends CommandMessage<?>> messages) {
                return (index, command) -> {
                    TraceContext current = tracer.currentTraceContext().context();
                    if (current == null || command.getMetaData().containsKey(METADATA_KEY)) {
                        return command;
                    }
                    Map<String, String> carrier = new HashMap<>();
                    propagator.inject(current, carrier, Map::put);
                    return carrier.containsKey(METADATA_KEY)
                            ? command.andMetaData(Map.of(METADATA_KEY, carrier.get(METADATA_KEY))) : command;
                };
            }
        };
    }

    /**
     * Handles a turn's start and end, and any other event but a turn's records, in a span of the projection
     * continuing the event's trace (a new trace if it has none). A turn's stage and verbose records (40 of its
     * ~42 events) get none: their handler only queues a row, which the batch writes when it commits, outside
     * every event's span, so a span each showed nothing but its own cost, which with the reading of the stored
     * metadata it needs was about a third of the live projections' CPU (docs/performance.md, branch
     * {@code project}). A replayed event (a rebuild) gets no span either: its turn's trace ended long ago.
     */
    public MessageHandlerInterceptor<EventMessage<?>> projectionsContinueTheTrace() {
        return new MessageHandlerInterceptor<>() {
            @Override
            public Object handle(UnitOfWork<? extends EventMessage<?>> unitOfWork, InterceptorChain chain)
                    throws Exception {
                EventMessage<?> event = unitOfWork.getMessage();
                if (ReplayToken.isReplay(event) || !spanned(event.getPayloadType())) {
                    return chain.proceed();
                }
                Object traceparent = event.getMetaData().get(METADATA_KEY);
                if (!(traceparent instanceof String parent)) {
                    return chain.proceed();
                }
                Span span = propagator.extract(Map.of(METADATA_KEY, parent), Map::get)
                        .name("project " + event.getPayloadType().getSimpleName())
                        .kind(Span.Kind.CONSUMER)
                        .start();
                try (Tracer.SpanInScope ignored = tracer.withSpan(span)) {
                    return chain.proceed();
                } catch (Exception | Error e) {
                    span.error(e);
                    throw e;
                } finally {
                    span.end();
                }
            }
        };
    }

    /**
     * Whether a projection handles events of this type in a span: all but a turn's records. The type comes from
     * the stored event's type name, so asking reads neither the payload nor the metadata.
     */
    static boolean spanned(Class<?> payloadType) {
        return payloadType != StageRecordedEvent.class && payloadType != VerboseRecordedEvent.class;
    }

    /** The trace id of a {@code traceparent} value, or null if it is not one. */
    public static String traceIdOf(Object traceparent) {
        if (traceparent instanceof String value) {
            String[] parts = value.split("-");
            if (parts.length == 4 && parts[1].length() == 32) {
                return parts[1];
            }
        }
        return null;
    }
}
