package io.convtrail.command.turn;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.convtrail.api.refusal.Refusal;
import io.convtrail.api.refusal.RefusedException;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.UUID;

/**
 * {@code convtrail.turn.max-turns-per-minute}: a token bucket per conversation (Bucket4j), so one
 * client cannot grow a conversation by thousands of records a minute. Kept in memory per node: with
 * several nodes a conversation's turns spread over them may run faster, up to the limit on each.
 * Buckets of conversations idle for two minutes are dropped (by then they are full again).
 */
@Component
class TurnRateLimiter {

    private final LoadingCache<UUID, Bucket> buckets;

    TurnRateLimiter(TurnProperties properties) {
        int perMinute = properties.maxTurnsPerMinute();
        this.buckets = Caffeine.newBuilder()
                .expireAfterAccess(Duration.ofMinutes(2))
                .maximumSize(100_000)
                .build(conversation -> Bucket.builder()
                        .addLimit(limit -> limit.capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)))
                        .build());
    }

    /** Takes one turn from the conversation's allowance, or refuses it with the time until the next one. */
    void admit(UUID conversationId) {
        ConsumptionProbe probe = buckets.get(conversationId).tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            throw new RefusedException(Refusal.TURN_RATE_EXCEEDED, null,
                    "Conversation " + conversationId + " started more turns in the last minute than it may; "
                            + "retry later.", Duration.ofNanos(probe.getNanosToWaitForRefill()))
                    .with("conversationId", conversationId);
        }
    }
}
