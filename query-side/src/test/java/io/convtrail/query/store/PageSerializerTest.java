package io.convtrail.query.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.convtrail.api.Stage;
import io.convtrail.api.event.StageRecordedEvent;
import io.convtrail.api.event.TurnStartedEvent;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A rebuild's pages read stage events without Jackson's databind, as the same events: the stored events of
 * the shape the serializer writes are read by the streaming read, every other one as the serializer reads it.
 */
class PageSerializerTest {

    private static final UUID CONVERSATION = UUID.fromString("9bf7540a-b129-4685-a120-730e8a0cb94b");
    private static final UUID TURN = UUID.fromString("00000000-0000-0000-0000-0000000000A1");

    /** Stage events deserialised through the mapper's databind, counted. */
    private final AtomicInteger databindReads = new AtomicInteger();
    private final JacksonSerializer jackson = JacksonSerializer.builder().objectMapper(mapper()).build();
    private final PageSerializer pages = new PageSerializer(jackson);

    @Test
    void storedStageEventsReadAsTheSerializerReadsThemWithoutItsDatabind() {
        List<StageRecordedEvent> events = List.of(
                new StageRecordedEvent(CONVERSATION, TURN, 7, Stage.STEP_ENTER,
                        "{\"_meta\":{\"stage\":\"STEP_ENTER\"},\"step\":\"RulesStep\",\"note\":\"a \\\"quoted\\\" é €\\n\"}",
                        Instant.parse("2026-11-24T05:00:00.123456789Z"), "c0ffee"),
                new StageRecordedEvent(CONVERSATION, null, 0, Stage.USER_INPUT, null,
                        Instant.parse("2026-11-24T05:00:00Z"), null),
                new StageRecordedEvent(CONVERSATION, TURN, Long.MAX_VALUE, Stage.STEP_EXIT, "",
                        Instant.parse("1999-01-01T00:00:00.100Z"), "ab"),
                new StageRecordedEvent(CONVERSATION, TURN, -3, Stage.STEP_ERROR,
                        "{\"text\":\"tab\\there \\\\ slash / \\u0001 \u0001 \u2028 😀 \u00e9\"}\u007f",
                        Instant.parse("2026-11-24T05:00:00.5Z"), "\"quoted\" ü"));
        for (StageRecordedEvent event : events) {
            SerializedObject<byte[]> stored = jackson.serialize(event, byte[].class);
            assertThat(stored.getType().getRevision()).isEqualTo("1");
            int before = databindReads.get();
            Object read = pages.deserialize(stored);
            assertThat(databindReads.get()).isEqualTo(before);
            assertThat(read).isEqualTo(event).isEqualTo(jackson.deserialize(stored));
        }
    }

    @Test
    void payloadsOfEveryMixOfCharactersAndLengthReadAsTheSerializerReadsThem() {
        // escapes, controls, quotes and multi-byte characters at every offset of the word-wise copy
        String[] pieces = {"a", "bcdefgh", "\"", "\\", "\n", "\u0001", "é", "€", "😀", "{\"k\":", "}", "/", "\u007f"};
        SplittableRandom random = new SplittableRandom(23);
        for (int i = 0; i < 5_000; i++) {
            StringBuilder payload = new StringBuilder();
            int count = random.nextInt(40);
            for (int p = 0; p < count; p++) {
                payload.append(pieces[random.nextInt(i % 2 == 0 ? 6 : pieces.length)]);
            }
            StageRecordedEvent event = new StageRecordedEvent(CONVERSATION, TURN, i, Stage.STEP_ENTER,
                    payload.toString(), Instant.parse("2026-11-24T05:00:00.123456Z"), i % 3 == 0 ? null : "h");
            SerializedObject<byte[]> stored = jackson.serialize(event, byte[].class);
            int before = databindReads.get();
            Object read = pages.deserialize(stored);
            assertThat(read).as(payload.toString()).isEqualTo(event);
            assertThat(databindReads.get()).isEqualTo(before);
        }
    }

    @Test
    void anyOtherShapeIsReadByTheSerializerAsBefore() {
        String turn = "\"turnId\":\"00000000-0000-0000-0000-0000000000a1\",";
        List<String> shapes = List.of(
                // a field the event does not have, one missing, a value written another way
                "{\"conversationId\":\"9bf7540a-b129-4685-a120-730e8a0cb94b\"," + turn + "\"sequence\":1,\"stage\":\"STEP_ENTER\",\"payloadJson\":\"{}\",\"createdAt\":\"2026-11-24T05:00:00Z\",\"hash\":\"h\",\"extra\":1}",
                "{\"conversationId\":\"9bf7540a-b129-4685-a120-730e8a0cb94b\"," + turn + "\"sequence\":1,\"stage\":\"STEP_ENTER\",\"createdAt\":\"2026-11-24T05:00:00Z\",\"hash\":\"h\"}",
                "{\"conversationId\":\"9bf7540a-b129-4685-a120-730e8a0cb94b\"," + turn + "\"sequence\":\"2\",\"stage\":\"STEP_ENTER\",\"payloadJson\":\"{}\",\"createdAt\":\"2026-11-24T05:00:00Z\",\"hash\":\"h\"}",
                "{\"conversationId\":\"9bf7540a-b129-4685-a120-730e8a0cb94b\"," + turn + "\"sequence\":3,\"stage\":\"STEP_ENTER\",\"payloadJson\":\"{}\",\"createdAt\":\"2026-11-24T06:00:00+01:00\",\"hash\":\"h\"}",
                "{\"conversationId\":\"9bf7540a-b129-4685-a120-730e8a0cb94b\"," + turn + "\"sequence\":4,\"stage\":\"STEP_ENTER\",\"payloadJson\":\"{}\",\"createdAt\":1764000000.5,\"hash\":\"h\"}",
                "{\"conversationId\":\"9bf7540a-b129-4685-a120-730e8a0cb94b\"," + turn + "\"sequence\":5,\"stage\":\"STEP_ENTER\",\"payloadJson\":\"{}\",\"createdAt\":\"2026-11-24T05:00:00Z\",\"hash\":7}",
                "{\"conversationId\":\"9bf7540a-b129-4685-a120-730e8a0cb94b\"," + turn + "\"sequence\":6,\"sequence\":7,\"stage\":\"STEP_ENTER\",\"payloadJson\":\"{}\",\"createdAt\":\"2026-11-24T05:00:00Z\",\"hash\":\"h\"}",
                // white space, a lone surrogate, an unknown stage, an id in another form
                "{\"conversationId\": \"9bf7540a-b129-4685-a120-730e8a0cb94b\"," + turn + "\"sequence\":8,\"stage\":\"STEP_ENTER\",\"payloadJson\":\"{}\",\"createdAt\":\"2026-11-24T05:00:00Z\",\"hash\":\"h\"}\n",
                "{\"conversationId\":\"9bf7540a-b129-4685-a120-730e8a0cb94b\"," + turn + "\"sequence\":9,\"stage\":\"STEP_ENTER\",\"payloadJson\":\"{\\ud83d}\",\"createdAt\":\"2026-11-24T05:00:00Z\",\"hash\":\"h\"}",
                "{\"conversationId\":\"9bf7540a-b129-4685-a120-730e8a0cb94b\"," + turn + "\"sequence\":10,\"stage\":\"NO_SUCH_STAGE\",\"payloadJson\":\"{}\",\"createdAt\":\"2026-11-24T05:00:00Z\",\"hash\":\"h\"}",
                "{\"conversationId\":\"9bf7540ab1294685a120730e8a0cb94b\"," + turn + "\"sequence\":11,\"stage\":\"STEP_ENTER\",\"payloadJson\":\"{}\",\"createdAt\":\"2026-11-24T05:00:00Z\",\"hash\":\"h\"}");
        for (String shape : shapes) {
            SerializedObject<byte[]> stored = new SimpleSerializedObject<>(shape.getBytes(StandardCharsets.UTF_8),
                    byte[].class, new SimpleSerializedType(StageRecordedEvent.class.getName(), "1"));
            int before = databindReads.get();
            Object read;
            try {
                read = pages.deserialize(stored);
            } catch (RuntimeException refused) {
                // what the serializer refuses is refused as before
                assertThatThrownBy(() -> jackson.deserialize(stored)).isInstanceOf(refused.getClass());
                continue;
            }
            assertThat(databindReads.get()).as(shape).isEqualTo(before + 1);
            assertThat(read).as(shape).isEqualTo(jackson.deserialize(stored));
        }
    }

    @Test
    void escapesTheSerializerDoesNotWriteReadAsItReadsThem() {
        String shape = "{\"conversationId\":\"9BF7540A-B129-4685-A120-730E8A0CB94B\",\"turnId\":null,\"sequence\":-0,"
                + "\"stage\":\"STEP_ENTER\",\"payloadJson\":\"\\u00e9\\ud83d\\ude00\\/\\b\\f\\r\\u20AC\","
                + "\"createdAt\":\"2026-11-24T05:00:00.000000001Z\",\"hash\":\"\\\"\"}";
        SerializedObject<byte[]> stored = new SimpleSerializedObject<>(shape.getBytes(StandardCharsets.UTF_8),
                byte[].class, new SimpleSerializedType(StageRecordedEvent.class.getName(), "1"));
        Object read = pages.deserialize(stored);
        assertThat(databindReads.get()).isZero();
        assertThat(read).isEqualTo(jackson.deserialize(stored));
        assertThat(((StageRecordedEvent) read).payloadJson()).isEqualTo("é😀/\b\f\r€");
    }

    @Test
    void otherTypesAndRevisionsAreTheSerializers() {
        StageRecordedEvent event = new StageRecordedEvent(CONVERSATION, TURN, 1, Stage.STEP_ENTER, "{}",
                Instant.parse("2026-11-24T05:00:00Z"), "h");
        SerializedObject<byte[]> stored = jackson.serialize(event, byte[].class);
        SerializedObject<byte[]> otherRevision = new SimpleSerializedObject<>(stored.getData(), byte[].class,
                new SimpleSerializedType(StageRecordedEvent.class.getName(), "0"));
        assertThat((Object) pages.deserialize(otherRevision)).isEqualTo(event);
        assertThat(databindReads.get()).isEqualTo(1);

        TurnStartedEvent started = new TurnStartedEvent(CONVERSATION, TURN, 1, "hello", false, java.util.Map.of("a", "b"),
                "flow", "hash", Instant.parse("2026-11-24T05:00:00Z"), "owner", null);
        SerializedObject<byte[]> turn = jackson.serialize(started, byte[].class);
        assertThat((Object) pages.deserialize(turn)).isEqualTo(started);
        assertThat(pages.classForType(turn.getType())).isEqualTo(TurnStartedEvent.class);
        assertThat(pages.classForType(turn.getType())).isEqualTo(TurnStartedEvent.class);
    }

    /** Counts the stage events Jackson's databind reads. */
    private final class Counting extends DelegatingDeserializer {

        Counting(JsonDeserializer<?> delegate) {
            super(delegate);
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
            return new Counting(delegate);
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            databindReads.incrementAndGet();
            return super.deserialize(parser, context);
        }
    }

    private ObjectMapper mapper() {
        SimpleModule counting = new SimpleModule("counting-stage-reads");
        counting.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription description,
                                                          JsonDeserializer<?> deserializer) {
                if (description.getBeanClass() != StageRecordedEvent.class) {
                    return deserializer;
                }
                return new Counting(deserializer);
            }
        });
        return new ObjectMapper().registerModule(new JavaTimeModule()).registerModule(counting)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }
}
