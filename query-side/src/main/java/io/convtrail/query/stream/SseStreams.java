package io.convtrail.query.stream;

import io.convtrail.query.stream.StreamSink.CloseReason;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.util.CustomizableThreadCreator;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Opens SSE streams on the hub and keeps them alive: one timer asks every subscriber for a
 * heartbeat comment, which also finds clients that went away without a word (the write fails).
 */
@Component
public class SseStreams implements DisposableBean {

    private final ConversationStreamHub hub;
    private final SseFrames frames;
    private final Duration emitterTimeout;
    private final ScheduledExecutorService heartbeats;

    public SseStreams(ConversationStreamHub hub, SseFrames frames, StreamProperties properties) {
        this.hub = hub;
        this.frames = frames;
        this.emitterTimeout = properties.sse().emitterTimeout();
        CustomizableThreadCreator names = new CustomizableThreadCreator("sse-heartbeat-");
        names.setDaemon(true);
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(names::createThread);
        long every = properties.sse().heartbeat().toMillis();
        heartbeats.scheduleAtFixedRate(() -> hub.forEachSubscriber(StreamSubscription::heartbeat),
                every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * A stream of the conversation's events after {@code resumeAfter} (null: from now on), ended at
     * {@code endAt} when that is not null (the expiry of the caller's access token), holding the
     * client's {@code slot} until the response ends, however it ends.
     */
    public SseEmitter open(UUID conversationId, Long resumeAfter, boolean unnamed, boolean turns, Instant endAt,
                           ClientStreamSlots.Slot slot) {
        SseEmitter emitter = new SseEmitter(emitterTimeout.toMillis());
        StreamSubscription subscription;
        try {
            subscription = hub.subscribe(conversationId, resumeAfter, new SseSink(emitter, frames, conversationId, unnamed, turns));
        } catch (RuntimeException e) {
            slot.release();
            throw e;
        }
        ScheduledFuture<?> expiry = endAt == null ? null : heartbeats.schedule(
                () -> subscription.close(CloseReason.EXPIRED),
                Math.max(0, Duration.between(Instant.now(), endAt).toMillis()), TimeUnit.MILLISECONDS);
        Runnable gone = () -> {
            if (expiry != null) {
                expiry.cancel(false);
            }
            subscription.close(CloseReason.CLIENT_GONE);
            slot.release();
        };
        emitter.onCompletion(gone);
        emitter.onError(error -> gone.run());
        emitter.onTimeout(() -> {
            // the normal end of a long stream: EventSource reconnects and resumes
            emitter.complete();
            gone.run();
        });
        return emitter;
    }

    @Override
    public void destroy() {
        heartbeats.shutdownNow();
    }
}
