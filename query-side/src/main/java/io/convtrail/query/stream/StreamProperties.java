package io.convtrail.query.stream;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.util.List;

/**
 * Live streams ({@code convtrail.stream.*}). {@code subscriberBuffer} is how many events one
 * subscriber may have waiting before it is disconnected (it resumes with Last-Event-ID);
 * {@code maxPerClient} how many streams (SSE and STOMP together) one client may hold open (429 above).
 */
@Validated
@ConfigurationProperties("convtrail.stream")
public record StreamProperties(
        @DefaultValue({"http://localhost:*", "http://127.0.0.1:*"}) @NotEmpty List<@NotBlank String> allowedOrigins,
        @DefaultValue("1000") @Min(1) int subscriberBuffer,
        @DefaultValue("256") @Min(1) int maxPerClient,
        @DefaultValue @Valid Sse sse,
        @DefaultValue @Valid Stomp stomp) {

    /** {@code heartbeat}: interval of the keep-alive comment; {@code emitterTimeout}: longest life of one SSE response. */
    public record Sse(@DefaultValue("15s") @Positive Duration heartbeat, @DefaultValue("30m") @Positive Duration emitterTimeout) {
    }

    /**
     * {@code sendBufferSizeLimit} and {@code sendTimeLimit} bound what a slow WebSocket client may hold
     * back; past either, its session is closed. {@code joinFramesUpTo}: the most bytes of MESSAGE frames
     * one WebSocket message may carry when a sender finds several waiting; 0 (the default) sends one
     * frame per message, as ConvEngine's broker does, since a client may read only a message's first frame.
     */
    public record Stomp(@DefaultValue("simple") Broker broker,
                        @DefaultValue @Valid Relay relay,
                        @DefaultValue("1MB") @Positive DataSize sendBufferSizeLimit,
                        @DefaultValue("10s") @Positive Duration sendTimeLimit,
                        @DefaultValue("0") @Min(0) @Max(MAX_JOINED_BYTES) int joinFramesUpTo) {

        /** Java clients refuse larger text messages by default (Tomcat's, and with it Spring's {@code StandardWebSocketClient}). */
        public static final int MAX_JOINED_BYTES = 8 * 1024;
    }

    /** The external STOMP broker (RabbitMQ, ActiveMQ) used when {@code broker=relay}. */
    public record Relay(@DefaultValue("localhost") String host,
                        @DefaultValue("61613") @Min(1) @Max(65535) int port,
                        @DefaultValue("guest") String login,
                        @DefaultValue("guest") String passcode,
                        String virtualHost) {
    }

    public enum Broker { SIMPLE, RELAY }
}
