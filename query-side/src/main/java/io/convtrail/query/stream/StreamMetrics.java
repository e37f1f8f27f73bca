package io.convtrail.query.stream;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.stereotype.Component;

/**
 * Live stream gauges ({@code /actuator/metrics/convtrail.stream.subscribers?tag=transport:sse}):
 * they return to zero when every client has gone, which is how a subscriber leak would show.
 */
@Component
class StreamMetrics implements MeterBinder {

    private final ConversationStreamHub hub;

    StreamMetrics(ConversationStreamHub hub) {
        this.hub = hub;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String transport : new String[]{SseSink.TRANSPORT, StompSink.TRANSPORT}) {
            Gauge.builder("convtrail.stream.subscribers", hub, h -> h.subscribers(transport))
                    .tag("transport", transport)
                    .description("live stream subscribers (STOMP: one per watched conversation topic)")
                    .register(registry);
        }
        Gauge.builder("convtrail.stream.conversations", hub, ConversationStreamHub::openConversations)
                .description("conversations with live subscribers on this node")
                .register(registry);
    }
}
