package io.convtrail.app.database;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.statements.AppendEventsStatementBuilder;
import org.axonframework.eventsourcing.eventstore.jdbc.statements.JdbcEventStorageEngineStatements;
import org.axonframework.eventsourcing.eventstore.jdbc.statements.TimestampWriter;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Appends the events of one commit with one multi-row {@code INSERT}, where Axon's default sends one
 * {@code INSERT} per event in a JDBC batch: PostgreSQL then plans and executes one statement per commit
 * (a turn's commit holds up to ~40 events) instead of one per event. The rows, their columns and their
 * order are Axon's own: {@code globalindex} is assigned in the order of the {@code VALUES} list, and a
 * duplicate {@code (aggregateidentifier, sequencenumber)} fails the whole statement with the same
 * unique violation as before (a concurrent append, {@link AppendConflictConfiguration}).
 */
final class MultiRowAppend implements AppendEventsStatementBuilder {

    /** Columns of {@link EventSchema#domainEventFields()}. */
    private static final int COLUMNS = 9;
    /**
     * Rows per statement at most (PostgreSQL binds at most 32,767 parameters); a larger commit (an import,
     * never a turn) takes Axon's per-row batch.
     */
    static final int MAX_ROWS = 1_000;

    /** The statement text per row count: a commit's size repeats, and the text is a few KB. */
    private final ConcurrentMap<Integer, String> statements = new ConcurrentHashMap<>();

    @Override
    public PreparedStatement build(Connection connection, EventSchema schema, Class<?> dataType,
                                   List<? extends EventMessage<?>> events, Serializer serializer,
                                   TimestampWriter timestampWriter) throws SQLException {
        if (events.size() <= 1 || events.size() > MAX_ROWS) {
            return JdbcEventStorageEngineStatements.appendEvents(connection, schema, dataType, events, serializer,
                    timestampWriter);
        }
        PreparedStatement statement = connection.prepareStatement(
                statements.computeIfAbsent(events.size(), rows -> insert(schema, rows)));
        RepeatedColumns repeated = new RepeatedColumns(serializer, dataType, timestampWriter);
        int column = 0;
        for (EventMessage<?> eventMessage : events) {
            DomainEventMessage<?> event = asDomainEventMessage(eventMessage);
            SerializedObject<?> payload = event.serializePayload(serializer, dataType);
            statement.setString(++column, event.getIdentifier());
            statement.setString(++column, event.getAggregateIdentifier());
            statement.setLong(++column, event.getSequenceNumber());
            statement.setString(++column, event.getType());
            repeated.writeTimestamp(statement, ++column, event.getTimestamp());
            statement.setString(++column, payload.getType().getName());
            statement.setString(++column, payload.getType().getRevision());
            statement.setObject(++column, payload.getData());
            statement.setObject(++column, repeated.metaData(event));
        }
        statement.addBatch(); // Axon executes the statement as a batch: here a batch of one
        return statement;
    }

    private static String insert(EventSchema schema, int rows) {
        String row = "(" + "?,".repeat(COLUMNS - 1) + "?)";
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(schema.domainEventTable()).append(" (")
                .append(schema.domainEventFields()).append(") VALUES ").append(row);
        for (int i = 1; i < rows; i++) {
            sql.append(',').append(row);
        }
        return sql.toString();
    }

    /** As Axon's default statement does: an event applied outside an aggregate gets no aggregate identity. */
    private static DomainEventMessage<?> asDomainEventMessage(EventMessage<?> event) {
        return event instanceof DomainEventMessage<?> domain ? domain
                : new GenericDomainEventMessage<>(null, event.getIdentifier(), 0L, event, event::getTimestamp);
    }
}
