package io.convtrail.query.projection;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.UncategorizedSQLException;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

class ProjectionFailureTest {

    @Test
    void anErrorAboutTheEventsDataMayBeTheEventsFault() {
        ProjectionFailure nul = ProjectionFailure.of(new DataIntegrityViolationException("insert",
                new SQLException("invalid byte sequence for encoding \"UTF8\": 0x00", "22021")));
        ProjectionFailure trigger = ProjectionFailure.of(new UncategorizedSQLException("insert", "INSERT …",
                new SQLException("ERROR: stage refused", "P0001")));

        assertThat(nul.transientFailure()).isFalse();
        assertThat(nul.sqlState()).isEqualTo("22021");
        assertThat(trigger.transientFailure()).isFalse();
        assertThat(trigger.summary()).isEqualTo("java.sql.SQLException (SQLState P0001)").doesNotContain("refused");
        assertThat(trigger.detail()).contains("stage refused");
    }

    @Test
    void aFailureOfTheDatabaseAsAWholeIsNeverTheEventsFault() {
        assertThat(ProjectionFailure.of(new SQLException("connection refused", "08001")).transientFailure()).isTrue();
        assertThat(ProjectionFailure.of(new SQLException("terminating connection", "57P01")).transientFailure()).isTrue();
        assertThat(ProjectionFailure.of(new SQLException("deadlock detected", "40P01")).transientFailure()).isTrue();
        assertThat(ProjectionFailure.of(new QueryTimeoutException("slow")).transientFailure()).isTrue();
    }
}
