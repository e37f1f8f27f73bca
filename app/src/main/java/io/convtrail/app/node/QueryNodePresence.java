package io.convtrail.app.node;

import io.convtrail.query.DedicatedConnection;
import org.springframework.boot.autoconfigure.jdbc.JdbcConnectionDetails;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * Which query nodes are connected to the database. Each query node holds one connection of its own,
 * named {@code convtrail query <runner id>} ({@code application_name}), for as long as it runs; the
 * others see it in {@code pg_stat_activity}. A node killed with {@code kill -9} loses it at once (the
 * kernel closes its socket), so a dead node stops counting without waiting for any timeout. A node that
 * holds no segment shows nowhere else: {@code tokenentry} only names nodes that own one.
 */
final class QueryNodePresence implements AutoCloseable {

    static final String PREFIX = "convtrail query ";
    private static final int SOCKET_TIMEOUT_SECONDS = 10;

    private final JdbcConnectionDetails database;
    private final String name;
    private Connection connection;

    QueryNodePresence(JdbcConnectionDetails database, UUID runner) {
        this.database = database;
        this.name = PREFIX + runner;
    }

    /** The runner ids of the query nodes connected now, this one included; (re)connects first if need be. */
    synchronized Set<UUID> present() throws SQLException {
        if (connection == null || !connection.isValid(2)) {
            close();
            connection = connect();
        }
        Set<UUID> runners = new HashSet<>();
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT substr(application_name, ?) FROM pg_stat_activity
                WHERE datname = current_database() AND application_name LIKE ?""")) {
            query.setInt(1, PREFIX.length() + 1);
            query.setString(2, PREFIX + "%");
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    try {
                        runners.add(UUID.fromString(rows.getString(1)));
                    } catch (IllegalArgumentException foreign) {
                        // a connection named like ours by someone else: not a node
                    }
                }
            }
        }
        return runners;
    }

    private Connection connect() throws SQLException {
        return DedicatedConnection.open(database, name, SOCKET_TIMEOUT_SECONDS);
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // it is being replaced or the node stops: nothing to keep
            }
            connection = null;
        }
    }
}
