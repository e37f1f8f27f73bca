package io.convtrail.query.store;

import io.convtrail.api.event.StageRecordedEvent;
import org.axonframework.serialization.Converter;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.UnknownSerializedType;
import org.axonframework.serialization.json.JacksonSerializer;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The event serializer as {@link EventPages} reads a rebuild's pages with it. Two things differ, neither
 * what an event reads as: a stage event of the revision stored today is read by {@link StoredStageEvents}
 * (straight from its bytes, falling back to the serializer for anything not in the serializer's exact shape), and
 * the class of a stored type is looked up once, not two or three times per event (Axon asks for it when it
 * wraps the payload and the metadata, and again when it deserialises them; Jackson's serializer answers with
 * a {@code Class.forName} each time). Everything else is the serializer's.
 */
final class PageSerializer implements Serializer {

    private static final String STAGE_TYPE = StageRecordedEvent.class.getName();
    /** The revision {@link StageRecordedEvent} is written with; an older or newer one goes to the serializer. */
    private static final String STAGE_REVISION = "1";

    private final Serializer serializer;
    /** Whether stage events may be read here: they are Jackson's JSON (else every event is the serializer's). */
    private final boolean json;
    private final Map<SerializedType, Class<?>> classes = new ConcurrentHashMap<>();

    PageSerializer(Serializer serializer) {
        this.serializer = serializer;
        this.json = serializer instanceof JacksonSerializer;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <S, T> T deserialize(SerializedObject<S> serialized) {
        if (json && serialized.getData() instanceof byte[] bytes
                && STAGE_TYPE.equals(serialized.getType().getName())
                && Objects.equals(STAGE_REVISION, serialized.getType().getRevision())) {
            StageRecordedEvent read = StoredStageEvents.read(bytes);
            if (read != null) {
                return (T) read;
            }
        }
        return serializer.deserialize(serialized);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class classForType(SerializedType type) {
        Class<?> known = classes.get(type);
        if (known != null) {
            return known;
        }
        Class<?> found = serializer.classForType(type);
        if (found != null && !UnknownSerializedType.class.isAssignableFrom(found)) {
            classes.put(type, found);
        }
        return found;
    }

    @Override
    public <T> SerializedObject<T> serialize(Object object, Class<T> expectedRepresentation) {
        return serializer.serialize(object, expectedRepresentation);
    }

    @Override
    public <T> boolean canSerializeTo(Class<T> expectedRepresentation) {
        return serializer.canSerializeTo(expectedRepresentation);
    }

    @Override
    public SerializedType typeForClass(Class type) {
        return serializer.typeForClass(type);
    }

    @Override
    public Converter getConverter() {
        return serializer.getConverter();
    }
}
