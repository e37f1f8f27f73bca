package io.convtrail.app.tracing;

import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import jakarta.servlet.DispatcherType;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.observation.ObservationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.filter.OrderedFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationConvention;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * One trace per turn (docs/operations.md): Micrometer Tracing with the OpenTelemetry bridge
 * starts a span for each HTTP request; {@link TurnTracing} carries it through Axon's commands,
 * events and projections; {@link TraceIdHeaderFilter} names it in the answer.
 */
@Configuration
class TracingConfiguration {

    /** Without tracing (turned off, or Boot's tests) the tracer is a no-op and there may be no propagator. */
    @Bean
    TurnTracing turnTracing(Tracer tracer, ObjectProvider<Propagator> propagator) {
        return new TurnTracing(tracer, propagator.getIfAvailable(() -> Propagator.NOOP));
    }

    @Bean
    MessageDispatchInterceptor<CommandMessage<?>> commandsCarryTheTrace(TurnTracing tracing) {
        return tracing.commandsCarryTheTrace();
    }

    @Bean
    MessageHandlerInterceptor<EventMessage<?>> projectionsContinueTheTrace(TurnTracing tracing) {
        return tracing.projectionsContinueTheTrace();
    }

    /** The events a command causes carry its {@code traceparent}. */
    @Bean
    CorrelationDataProvider traceCorrelation() {
        return new CommandCorrelation(new SimpleCorrelationDataProvider(TurnTracing.METADATA_KEY));
    }

    /** Axon's default (correlationId, traceId), which a provider of our own would otherwise replace. */
    @Bean
    CorrelationDataProvider messageOriginProvider() {
        return new CommandCorrelation(new MessageOriginProvider());
    }

    /**
     * Boot's HTTP server observation filter (which steps aside for this one), with the same name, convention,
     * order and dispatcher types, except that an SSE stream's observation ends when the stream is established.
     */
    @Bean
    FilterRegistrationBean<ServerHttpObservationFilter> webMvcObservationFilter(ObservationRegistry registry,
            ObjectProvider<ServerRequestObservationConvention> customConvention, ObservationProperties properties) {
        String name = properties.getHttp().getServer().getRequests().getName();
        FilterRegistrationBean<ServerHttpObservationFilter> registration = new FilterRegistrationBean<>(
                new StreamObservationFilter(registry,
                        customConvention.getIfAvailable(() -> new DefaultServerRequestObservationConvention(name))));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
        return registration;
    }

    @Bean
    FilterRegistrationBean<TraceIdHeaderFilter> traceIdHeaderFilter(Tracer tracer) {
        FilterRegistrationBean<TraceIdHeaderFilter> registration =
                new FilterRegistrationBean<>(new TraceIdHeaderFilter(tracer));
        // after ServerHttpObservationFilter (HIGHEST_PRECEDENCE + 1), before the security chain
        registration.setOrder(OrderedFilter.REQUEST_WRAPPER_FILTER_MAX_ORDER - 200);
        return registration;
    }
}
