package io.convtrail.app.database;

import org.axonframework.common.jdbc.JdbcException;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.TransactionSystemException;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures mean "the database cannot be reached" (a 503), and which are errors in what was asked (a 500). */
class ConnectionFailuresTest {

    @Test
    void aRefusedConnectionUnderThePoolTimeoutIsAnOutage() {
        Throwable failure = new JdbcException("Failed to obtain a connection", new SQLTransientConnectionException(
                "request timed out after 3000ms", null, new ConnectException("Connection refused")));
        assertThat(ConnectionFailures.find(failure)).isInstanceOf(ConnectException.class);
    }

    @Test
    void theServerShuttingDownIsAnOutage() {
        SQLException adminShutdown = new SQLException("terminating connection due to administrator command", "57P01");
        assertThat(ConnectionFailures.find(new JdbcException("Failed to read", adminShutdown))).isSameAs(adminShutdown);
    }

    @Test
    void aConnectionThePoolClosedAfterItBrokeIsAnOutage() {
        SQLException closed = new SQLException("Connection is closed");
        assertThat(ConnectionFailures.find(new JdbcException("Failed to create a SQL statement", closed))).isSameAs(closed);
    }

    @Test
    void aFailedRollbackAfterAFailedCommitIsJudgedByTheCommit() {
        SQLException lost = new SQLException("An I/O error occurred while sending to the backend.", "08006");
        TransactionSystemException rollback = new TransactionSystemException("JDBC rollback failed",
                new SQLException("Connection is closed", "XX000"));
        rollback.initApplicationException(lost);
        assertThat(ConnectionFailures.find(rollback)).isSameAs(lost);
    }

    @Test
    void anErrorInTheStatementIsNotAnOutage() {
        SQLException badSql = new SQLException("relation \"snapshotevententry\" does not exist", "42P01");
        assertThat(ConnectionFailures.find(new JdbcException("Failed to read", badSql))).isNull();
        assertThat(ConnectionFailures.find(new IllegalStateException("bug"))).isNull();
    }
}
