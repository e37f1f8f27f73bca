package io.convtrail.query.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.convtrail.api.stream.StreamEnvelope;
import io.convtrail.api.stream.StreamEvent;
import io.convtrail.api.stream.StreamKind;
import org.junit.jupiter.api.Test;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.StringHttpMessageConverter;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;
import org.springframework.mock.http.MockHttpOutputMessage;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter.DataWithMediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A frame built once for a conversation's subscribers is the frame each of them was sent before:
 * Spring's {@code SseEmitter} with the web layer's JSON converter, byte for byte.
 */
class SseFramesTest {

    final ObjectMapper mapper = new ObjectMapper();
    final SseFrames frames = new SseFrames(mapper);
    final UUID conversationId = UUID.randomUUID();

    @Test
    void aStageFrameIsWhatSseEmitterWritesNamedAndUnnamed() throws IOException {
        ObjectNode meta = JsonNodeFactory.instance.objectNode();
        meta.putObject("_meta").put("stage", "STEP_ENTER").put("text", "crédit « ünïcode » \"quoted\"\nline");
        StreamEvent event = new StreamEvent(conversationId, 42, new StreamEnvelope(StreamKind.AUDIT, 12031L,
                "STEP_ENTER", "2026-02-14T10:22:01.102Z", meta, null));

        assertThat(new String(frames.frame(event, true), StandardCharsets.UTF_8))
                .isEqualTo(emitted(SseEmitter.event().id("42").name("STEP_ENTER").data(event.envelope(),
                        org.springframework.http.MediaType.APPLICATION_JSON)));
        assertThat(new String(frames.frame(event, false), StandardCharsets.UTF_8))
                .isEqualTo(emitted(SseEmitter.event().id("42").data(event.envelope(),
                        org.springframework.http.MediaType.APPLICATION_JSON)));
    }

    @Test
    void verboseAndTurnFramesAreNamedByTheirKind() throws IOException {
        StreamEvent verbose = new StreamEvent(conversationId, 7, new StreamEnvelope(StreamKind.VERBOSE, null,
                StreamEnvelope.VERBOSE_STAGE, "2026-02-27T13:40:24.250Z", JsonNodeFactory.instance.objectNode(), null));
        StreamEvent turn = new StreamEvent(conversationId, 7, new StreamEnvelope(StreamKind.TURN, 99L, "TURN_END",
                "2026-02-27T13:40:24.250Z", JsonNodeFactory.instance.objectNode(), null));

        assertThat(new String(frames.frame(verbose, true), StandardCharsets.UTF_8)).startsWith("id:7\nevent:VERBOSE\ndata:{");
        assertThat(new String(frames.frame(turn, true), StandardCharsets.UTF_8)).startsWith("id:7\nevent:TURN\ndata:{");
    }

    @Test
    void everySubscriberOfAnEventGetsTheSameBytesEncodedOnce() {
        StreamEvent event = new StreamEvent(conversationId, 3, new StreamEnvelope(StreamKind.AUDIT, 5L, "STEP_EXIT",
                "2026-02-14T10:22:01.102Z", JsonNodeFactory.instance.objectNode(), null));
        byte[] first = frames.frame(event, true);

        for (int subscriber = 1; subscriber < 10; subscriber++) {
            assertThat(frames.frame(event, true)).isSameAs(first);
        }
        // an equal envelope read from history is another object: encoded again, to the same bytes
        StreamEvent reread = new StreamEvent(conversationId, 3, new StreamEnvelope(StreamKind.AUDIT, 5L, "STEP_EXIT",
                "2026-02-14T10:22:01.102Z", JsonNodeFactory.instance.objectNode(), null));
        assertThat(frames.frame(reread, true)).isEqualTo(first);
    }

    @Test
    void eventsFoundWaitingTogetherLeaveInOneWriteInTheirOrder() throws IOException {
        RecordingEmitter emitter = new RecordingEmitter();
        SseSink sink = new SseSink(emitter, frames, conversationId, false, false);
        StreamEvent first = stage(1, "STEP_ENTER");
        StreamEvent second = stage(2, "STEP_EXIT");
        StreamEvent turn = new StreamEvent(conversationId, 2, new StreamEnvelope(StreamKind.TURN, 9L, "TURN_END",
                "2026-02-14T10:22:01.102Z", JsonNodeFactory.instance.objectNode(), null));

        sink.event(first);
        sink.event(turn); // not asked for: never written
        sink.event(second);
        assertThat(emitter.writes).as("nothing leaves before the sender's run ends").isEmpty();
        sink.flush();
        sink.flush();

        assertThat(emitter.writes).hasSize(1);
        assertThat(new String((byte[]) emitter.writes.get(0), StandardCharsets.UTF_8)).isEqualTo(
                new String(frames.frame(first, true), StandardCharsets.UTF_8)
                        + new String(frames.frame(second, true), StandardCharsets.UTF_8));

        StreamEvent third = stage(3, "STEP_ENTER");
        sink.event(third);
        sink.flush();
        assertThat(emitter.writes.get(1)).as("a lone frame is the shared one").isSameAs(frames.frame(third, true));
    }

    private StreamEvent stage(long sequence, String stage) {
        return new StreamEvent(conversationId, sequence, new StreamEnvelope(StreamKind.AUDIT, 100 + sequence,
                stage, "2026-02-14T10:22:01.102Z", JsonNodeFactory.instance.objectNode(), null));
    }

    /** Spring's emitter, recording what would go to the response instead of writing it. */
    static final class RecordingEmitter extends SseEmitter {
        final java.util.List<Object> writes = new java.util.ArrayList<>();

        @Override
        public synchronized void send(java.util.Set<DataWithMediaType> items) {
            items.forEach(item -> writes.add(item.getData()));
        }
    }

    /** What {@code SseEmitter.send(builder)} writes: each part through the converter Spring MVC picks for it. */
    private String emitted(SseEmitter.SseEventBuilder builder) throws IOException {
        MockHttpOutputMessage out = new MockHttpOutputMessage();
        for (DataWithMediaType part : builder.build()) {
            HttpMessageConverter<Object> converter = part.getData() instanceof String
                    ? cast(new StringHttpMessageConverter(StandardCharsets.UTF_8))
                    : cast(new MappingJackson2HttpMessageConverter(mapper));
            converter.write(part.getData(), part.getMediaType(), out);
        }
        return out.getBodyAsString(StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static HttpMessageConverter<Object> cast(HttpMessageConverter<?> converter) {
        return (HttpMessageConverter<Object>) converter;
    }
}
