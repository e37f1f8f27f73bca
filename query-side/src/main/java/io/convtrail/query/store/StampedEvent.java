package io.convtrail.query.store;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericTrackedDomainEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;

import java.util.Map;

/**
 * A stored event with its global index ({@link PositionedEvents#GLOBAL_INDEX}) added to its metadata
 * when the metadata is first read. Adding it eagerly ({@code andMetaData}) deserialises the stored
 * metadata and parses the stored timestamp at once, also for the segments that skip the event and
 * for handlers that never read either; this way only a handler (or an interceptor) that reads the
 * metadata pays for it, once for every copy of the event with another token ({@link #withTrackingToken}:
 * a rebuild hands each projection its own copy). The payload stays the stored event's, read when first needed.
 */
final class StampedEvent<T> extends GenericTrackedDomainEventMessage<T> {

    /** The metadata of one stored event, stamped once for all its copies. */
    private static final class Stamp {
        private final DomainEventMessage<?> stored;
        private final long index;
        private volatile MetaData metaData;

        Stamp(DomainEventMessage<?> stored, long index) {
            this.stored = stored;
            this.index = index;
        }

        MetaData metaData() {
            MetaData read = metaData;
            if (read == null) {
                read = stored.getMetaData().and(PositionedEvents.GLOBAL_INDEX, index);
                metaData = read;
            }
            return read;
        }
    }

    private final Stamp stamp;

    StampedEvent(TrackingToken token, DomainEventMessage<T> stored, long index) {
        this(token, stored, new Stamp(stored, index));
    }

    private StampedEvent(TrackingToken token, DomainEventMessage<T> stored, Stamp stamp) {
        super(token, stored.getType(), stored.getAggregateIdentifier(), stored.getSequenceNumber(), stored,
                stored::getTimestamp);
        this.stamp = stamp;
    }

    @Override
    @SuppressWarnings("unchecked")
    public GenericTrackedDomainEventMessage<T> withTrackingToken(TrackingToken trackingToken) {
        return new StampedEvent<>(trackingToken, (DomainEventMessage<T>) stamp.stored, stamp);
    }

    /** The global index, without reading the stored metadata. */
    long globalIndex() {
        return stamp.index;
    }

    @Override
    public MetaData getMetaData() {
        return stamp.metaData();
    }

    @Override
    public GenericTrackedDomainEventMessage<T> andMetaData(Map<String, ?> added) {
        return new GenericTrackedDomainEventMessage<>(trackingToken(), getType(), getAggregateIdentifier(),
                getSequenceNumber(), getDelegate().withMetaData(getMetaData().mergedWith(added)), this::getTimestamp);
    }

    @Override
    public <S> SerializedObject<S> serializeMetaData(Serializer serializer, Class<S> expectedRepresentation) {
        return serializer.serialize(getMetaData(), expectedRepresentation);
    }
}
