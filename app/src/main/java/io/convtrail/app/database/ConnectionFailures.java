package io.convtrail.app.database;

import org.springframework.transaction.TransactionSystemException;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * Recognizes "PostgreSQL cannot be reached or is going away" in a failure's cause chain, as opposed
 * to an error in what was asked of it. Startup reports it as one message; a request answers 503.
 */
public final class ConnectionFailures {

    private static final String HIKARI_CLOSED_CONNECTION = "Connection is closed";

    private ConnectionFailures() {
    }

    /** The cause that shows the database is unreachable, or null if the failure is something else. */
    public static Throwable find(Throwable failure) {
        Throwable found = null;
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof TransactionSystemException tx && tx.getApplicationException() != null) {
                // the rollback after a failed commit failed too: the commit's failure says what happened
                Throwable commit = find(tx.getApplicationException());
                if (commit != null) {
                    return commit;
                }
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException || t instanceof SocketTimeoutException) {
                return t;
            }
            if (t instanceof SQLTransientConnectionException) {
                found = found == null ? t : found; // the pool gave up waiting; a deeper cause may say why
            } else if (t instanceof SQLException sql && (isConnectionState(sql.getSQLState())
                    || isEvictedByPool(sql))) {
                found = t;
            }
        }
        return found;
    }

    /**
     * HikariCP's answer on a pooled connection it has closed under its user, after another statement
     * found the connection broken (it sets no SQLSTATE): the connection to the server was lost.
     */
    private static boolean isEvictedByPool(SQLException sql) {
        return sql.getSQLState() == null && HIKARI_CLOSED_CONNECTION.equals(sql.getMessage());
    }

    /**
     * SQLSTATE classes 08 (connection exception) and 28 (authorization), 3D000 (no such database),
     * 57P01–57P03 (the server is shutting down, crashed, or not accepting connections yet).
     */
    private static boolean isConnectionState(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("28") || state.equals("3D000")
                || state.equals("57P01") || state.equals("57P02") || state.equals("57P03"));
    }
}
