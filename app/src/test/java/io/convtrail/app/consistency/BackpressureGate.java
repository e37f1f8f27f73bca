package io.convtrail.app.consistency;

import io.convtrail.app.LocalApi;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import java.util.Map;
import java.util.UUID;

/**
 * What the read-side backpressure tests ask of a node: a turn posted over HTTP, and the gate's meters as the
 * node last read them.
 */
record BackpressureGate(int port, MeterRegistry meters) {

    ResponseEntity<String> say(UUID conversationId) {
        return LocalApi.client(port).post().uri("/api/v1/conversation/message").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("conversationId", conversationId.toString(), "message", "What are your interest rates?"))
                .retrieve().toEntity(String.class);
    }

    /** The lag in events the node last read (NaN before its first reading, i.e. before a turn reached the gate). */
    double lagRead() {
        return meters.get("convtrail.turn.backpressure.lag.events").gauge().value();
    }

    /** How long ago, in ms, the oldest event the slowest projection had not committed was appended, as last read. */
    double delayRead() {
        return meters.get("convtrail.turn.backpressure.delay").gauge().value();
    }

    long waitedTurns() {
        return meters.get("convtrail.turn.backpressure.wait").timer().count();
    }
}
