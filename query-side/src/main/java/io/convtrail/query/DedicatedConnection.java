package io.convtrail.query;

import org.springframework.boot.autoconfigure.jdbc.JdbcConnectionDetails;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A connection of its own to the service's database, outside the pool, for one that a node holds for as
 * long as it runs (a pooled one would be taken from requests for ever): named, so that it shows in
 * {@code pg_stat_activity}, and with a socket timeout, so that a read on a database that stopped answering
 * without closing the connection ends.
 */
public final class DedicatedConnection {

    private DedicatedConnection() {
    }

    public static Connection open(JdbcConnectionDetails database, String applicationName, int socketTimeoutSeconds)
            throws SQLException {
        Properties properties = new Properties();
        if (database.getUsername() != null) {
            properties.setProperty("user", database.getUsername());
        }
        if (database.getPassword() != null) {
            properties.setProperty("password", database.getPassword());
        }
        properties.setProperty("socketTimeout", Integer.toString(socketTimeoutSeconds));
        properties.setProperty("ApplicationName", applicationName);
        return DriverManager.getConnection(database.getJdbcUrl(), properties);
    }
}
