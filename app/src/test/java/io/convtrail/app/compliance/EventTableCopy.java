package io.convtrail.app.compliance;

import io.convtrail.testsupport.store.EventStoreProbe;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;

/**
 * A copy of the event table with the indexes the migrations gave it, in a schema of its own that the
 * connection's statements then read, filled with as many synthetic events as a plan needs to be the one a
 * real store gets. The store the service and its projections use stays as it is; it all lives in the
 * caller's transaction, which rolls it back. Unlogged: the rows are for the planner, not for a crash.
 */
final class EventTableCopy {

    private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
    /**
     * Events as the store holds them: stored one every 0.2 s in global order, in blocks of 3,000 holding 100
     * conversations of 30 events each, interleaved (a conversation lasts 10 minutes), payloads of a few
     * hundred bytes.
     */
    private static final String EVENTS = """
            INSERT INTO domainevententry (globalindex, aggregateidentifier, sequencenumber, type, eventidentifier,
                                          metadata, payload, payloadtype, timestamp)
            SELECT i + 1, md5('c' || ((i %% 100) + 100 * (i / 3000))::text)::uuid::text, (i / 100) %% 30,
                   'ConversationAggregate', md5('e' || i)::uuid::text, convert_to('{}', 'UTF8'),
                   convert_to(repeat(md5(i::text), 12), 'UTF8'), '%s',
                   to_char((timestamptz '%s' + i * interval '200 milliseconds') AT TIME ZONE 'UTC',
                           'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
            FROM generate_series(0, ?) i""".formatted(EventStoreProbe.STAGE, START);

    private final Connection connection;

    private EventTableCopy(Connection connection) {
        this.connection = connection;
    }

    /** The copy with {@code events} events, analyzed; the connection must not auto-commit. */
    static EventTableCopy create(Connection connection, int events) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE SCHEMA plan_probe");
            s.execute("SET LOCAL search_path = plan_probe, public");
            s.execute("CREATE UNLOGGED TABLE domainevententry (LIKE public.domainevententry INCLUDING INDEXES)");
        }
        try (PreparedStatement insert = connection.prepareStatement(EVENTS)) {
            insert.setInt(1, events - 1);
            insert.executeUpdate();
        }
        try (Statement s = connection.createStatement()) {
            s.execute("ANALYZE domainevententry");
        }
        return new EventTableCopy(connection);
    }

    /** When the first event was stored. */
    Instant start() {
        return START;
    }

    /** The copy's BRIN index on the time each event was stored (V62's); fails when there is none. */
    String timeIndex() throws SQLException {
        return (String) row("SELECT indexname FROM pg_indexes WHERE schemaname = 'plan_probe' "
                + "AND indexdef LIKE '%USING brin (\"timestamp\" COLLATE \"C\")%'")[0];
    }

    /** The plan PostgreSQL picks for the statement with these parameters, EXPLAIN's text. */
    String plan(String sql, Object... parameters) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (PreparedStatement explain = prepare("EXPLAIN " + sql, parameters); ResultSet rs = explain.executeQuery()) {
            while (rs.next()) {
                plan.append(rs.getString(1).strip()).append('\n');
            }
        }
        return plan.toString();
    }

    /** The statement's one row, its columns as the driver reads them; fails when there is none. */
    Object[] row(String sql, Object... parameters) throws SQLException {
        try (PreparedStatement query = prepare(sql, parameters); ResultSet rs = query.executeQuery()) {
            if (!rs.next()) {
                throw new AssertionError("no row from " + sql);
            }
            Object[] columns = new Object[rs.getMetaData().getColumnCount()];
            for (int i = 0; i < columns.length; i++) {
                columns[i] = rs.getObject(i + 1);
            }
            return columns;
        }
    }

    private PreparedStatement prepare(String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
        return statement;
    }
}
