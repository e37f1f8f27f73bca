package io.convtrail.query.projection;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.TransactionException;

import java.sql.SQLException;

/**
 * What an exception thrown while applying an event says about the event. A failure of the database
 * as a whole (connection lost, server shutting down, deadlock, out of resources) says nothing about
 * the event and is retried as it is; anything else may be the event's own fault.
 */
record ProjectionFailure(boolean transientFailure, String sqlState, String summary, String detail) {

    static ProjectionFailure of(Throwable error) {
        String sqlState = null;
        boolean transientFailure = false;
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TransientDataAccessException || t instanceof RecoverableDataAccessException
                    || t instanceof DataAccessResourceFailureException || t instanceof TransactionException) {
                transientFailure = true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                sqlState = sql.getSQLState();
                transientFailure |= transientState(sqlState);
            }
        }
        Throwable root = rootCause(error);
        // the summary goes to the log: class and SQLState only, since a message may quote the event's data
        String summary = root.getClass().getName() + (sqlState == null ? "" : " (SQLState " + sqlState + ")");
        return new ProjectionFailure(transientFailure, sqlState, summary, root.getClass().getName() + ": "
                + root.getMessage());
    }

    /** Connection (08), resources (53), operator intervention (57), rollback (40: deadlock, serialization). */
    private static boolean transientState(String sqlState) {
        return sqlState.startsWith("08") || sqlState.startsWith("53") || sqlState.startsWith("57")
                || sqlState.startsWith("40");
    }

    private static Throwable rootCause(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
