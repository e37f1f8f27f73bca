package io.convtrail.app.projection;

import io.convtrail.query.json.StoredInstants;
import io.convtrail.query.projection.CopiedRows;
import io.convtrail.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Rows read by a binary copy ({@link CopiedRows}) are the rows a {@code SELECT} reads through the driver:
 * numbers, text beyond ASCII, NULLs, times before PostgreSQL's epoch and its infinities, over many of the
 * copy's messages and none; a reader that fails ends the copy and leaves the connection usable.
 */
class CopiedRowsTest {

    private static SingleConnectionDataSource dataSource;
    private static JdbcTemplate template;

    private record Row(long id, String body, Instant createdAt) {
    }

    @BeforeAll
    static void database() {
        TestPostgres.Database db = TestPostgres.freshDatabase();
        dataSource = new SingleConnectionDataSource(db.jdbcUrl(), db.username(), db.password(), true);
        template = new JdbcTemplate(dataSource);
        template.execute("CREATE TABLE copied_out (id bigint PRIMARY KEY, body text, created_at timestamptz)");
        template.execute("""
                INSERT INTO copied_out VALUES
                  (-5, 'say "hi" to Zoë 👋 \\ ✓', '2026-11-30T16:20:01.123456Z'),
                  (-4, NULL, NULL),
                  (-3, '', '1999-12-31T23:59:59.999999Z'),
                  (-2, 'x', 'infinity'),
                  (-1, 'y', '-infinity')""");
        template.execute("INSERT INTO copied_out SELECT n, repeat('é', n % 700), TIMESTAMPTZ '2026-12-02T01:00:00Z' "
                + "+ n * INTERVAL '1.000001 second' FROM generate_series(0, 19999) n");
    }

    @AfterAll
    static void close() {
        dataSource.destroy();
    }

    @Test
    void copiedRowsAreTheRowsASelectReads() {
        String select = "SELECT id, body, created_at FROM copied_out ORDER BY id";
        List<Row> selected = template.query(select, (rs, i) -> new Row(rs.getLong(1), rs.getString(2),
                rs.getObject(3) == null ? null : rs.getObject(3, OffsetDateTime.class).toInstant()));
        List<Row> copied = new ArrayList<>();

        long count = CopiedRows.read(template, select, 3, row -> copied.add(new Row(row.bigint(0),
                row.isNull(1) ? null : new String(row.utf8(1), StandardCharsets.UTF_8),
                row.isNull(2) ? null : StoredInstants.ofMicros(row.timestamptzMicros(2)))));

        assertThat(count).isEqualTo(20_005);
        assertThat(copied).isEqualTo(selected).hasSize(20_005);
    }

    @Test
    void noRowsAreNoRows() {
        List<Long> ids = new ArrayList<>();
        assertThat(CopiedRows.read(template, "SELECT id FROM copied_out WHERE id > 1000000", 1,
                row -> ids.add(row.bigint(0)))).isZero();
        assertThat(ids).isEmpty();
    }

    @Test
    void aReaderThatFailsEndsTheCopyAndTheConnectionGoesOn() {
        assertThatThrownBy(() -> CopiedRows.read(template, "SELECT id FROM copied_out ORDER BY id", 1, row -> {
            if (row.bigint(0) == 100) {
                throw new IllegalStateException("the reader failed");
            }
        })).hasMessageContaining("the reader failed");

        assertThat(template.queryForObject("SELECT count(*) FROM copied_out", Long.class)).isEqualTo(20_005);
    }
}
