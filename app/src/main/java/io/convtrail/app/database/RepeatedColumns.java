package io.convtrail.app.database;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.jdbc.statements.TimestampWriter;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.Serializer;

import java.lang.reflect.Proxy;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The two columns that repeat from row to row within one commit, written once per distinct value: the
 * metadata (every event a command applies carries the command's correlation data, so a turn's ~40 events
 * had their equal metadata serialised ~40 times) and the timestamp (Axon stores milliseconds, and a
 * command's events are applied within one or two of them). Serves one commit, on one thread.
 */
final class RepeatedColumns {

    private final Serializer serializer;
    private final Class<?> dataType;
    private final TimestampWriter timestampWriter;

    private MetaData lastMetaData;
    private Object lastMetaDataBytes;
    private Instant lastMillis;
    private String lastTimestampText;

    RepeatedColumns(Serializer serializer, Class<?> dataType, TimestampWriter timestampWriter) {
        this.serializer = serializer;
        this.dataType = dataType;
        this.timestampWriter = timestampWriter;
    }

    /** The event's serialised metadata: the previous row's bytes when its metadata is equal. */
    Object metaData(EventMessage<?> event) {
        MetaData metaData = event.getMetaData();
        if (lastMetaDataBytes == null || !metaData.equals(lastMetaData)) {
            lastMetaData = metaData;
            lastMetaDataBytes = event.serializeMetaData(serializer, dataType).getData();
        }
        return lastMetaDataBytes;
    }

    /**
     * Writes the timestamp as Axon's writer does; for the same millisecond as the previous row, the text the
     * writer set for that row. The writer is asked through a recorder of {@code setString}; a writer that
     * sets anything else is called for every row. Assumes the writer keeps no more than milliseconds, as
     * Axon's default does (ISO text), which is the one {@link EventStoreConfiguration} builds the engine with.
     */
    void writeTimestamp(PreparedStatement statement, int column, Instant timestamp) throws SQLException {
        Instant millis = timestamp.truncatedTo(ChronoUnit.MILLIS);
        if (!millis.equals(lastMillis)) {
            lastMillis = millis;
            lastTimestampText = textOf(timestamp);
        }
        if (lastTimestampText == null) {
            timestampWriter.writeTimestamp(statement, column, timestamp);
        } else {
            statement.setString(column, lastTimestampText);
        }
    }

    /** What the writer sets with {@code setString}; null when it sets something else. */
    private String textOf(Instant timestamp) throws SQLException {
        String[] text = new String[1];
        PreparedStatement recorder = (PreparedStatement) Proxy.newProxyInstance(
                PreparedStatement.class.getClassLoader(), new Class<?>[]{PreparedStatement.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("setString") || text[0] != null) {
                        throw new NotText();
                    }
                    text[0] = (String) args[1];
                    return null;
                });
        try {
            timestampWriter.writeTimestamp(recorder, 1, timestamp);
        } catch (NotText e) {
            return null;
        }
        return text[0];
    }

    private static final class NotText extends RuntimeException {
        NotText() {
            super(null, null, false, false);
        }
    }
}
