package io.convtrail.query.stream;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.List;

/**
 * Live streams ({@code convtrail.stream.*}). {@code subscriberBuffer} is how many events one
 * subscriber may have waiting before it is disconnected (it resumes with Last-Event-ID);
 * {@code maxPerClient} how many streams (SSE and STOMP together) one client may hold open (429 above).
 */
@ConfigurationProperties("convtrail.stream")
public record StreamProperties(
        @DefaultValue({"http://localhost:*", "http://127.0.0.1:*"}) List<String> allowedOrigins,
        @DefaultValue("1000") int subscriberBuffer,
        @DefaultValue("256") int maxPerClient,
        @DefaultValue Sse sse,
        @DefaultValue Stomp stomp) {

    public StreamProperties {
        if (subscriberBuffer < 1 || maxPerClient < 1) {
            throw new IllegalArgumentException(
                    "convtrail.stream.subscriber-buffer and convtrail.stream.max-per-client must be at least 1");
        }
    }

    /** {@code heartbeat}: interval of the keep-alive comment; {@code emitterTimeout}: longest life of one SSE response. */
    public record Sse(@DefaultValue("15s") Duration heartbeat, @DefaultValue("30m") Duration emitterTimeout) {
    }

    /**
     * {@code sendBufferSizeLimit} and {@code sendTimeLimit} bound what a slow WebSocket client may hold
     * back; past either, its session is closed.
     */
    public record Stomp(@DefaultValue("simple") Broker broker,
                        @DefaultValue Relay relay,
                        @DefaultValue("1MB") DataSize sendBufferSizeLimit,
                        @DefaultValue("10s") Duration sendTimeLimit) {
    }

    /** The external STOMP broker (RabbitMQ, ActiveMQ) used when {@code broker=relay}. */
    public record Relay(@DefaultValue("localhost") String host,
                        @DefaultValue("61613") int port,
                        @DefaultValue("guest") String login,
                        @DefaultValue("guest") String passcode,
                        String virtualHost) {
    }

    public enum Broker { SIMPLE, RELAY }
}
