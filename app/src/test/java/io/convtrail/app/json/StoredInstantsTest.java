package io.convtrail.app.json;

import io.convtrail.query.json.StoredInstants;
import io.convtrail.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code timestamptz} read from the driver's bytes ({@link StoredInstants}) is the instant the driver's
 * {@code OffsetDateTime} gives, in text (a statement's first runs) and in binary (once it is prepared on
 * the server), for times before 1970 and 2000, without and with a fraction, at the ends of the range
 * the answers write by hand, for infinities and for null.
 */
class StoredInstantsTest {

    private static SingleConnectionDataSource dataSource;
    private static JdbcTemplate template;

    private static final List<String> STORED = List.of(
            "2026-11-30 18:45:12.464007+00", "2026-11-30 18:45:12+00", "2026-11-30 18:45:12.1+00",
            "2000-01-01 00:00:00+00", "1999-12-31 23:59:59.999999+00", "1970-01-01 00:00:00+00",
            "1969-12-31 23:59:59.000001+00", "1000-01-01 00:00:00+00", "0999-12-31 23:59:59.5+00",
            "9999-12-31 23:59:59.999999+00", "2026-03-29 01:30:00.25+02", "infinity", "-infinity");

    @BeforeAll
    static void database() {
        TestPostgres.Database db = TestPostgres.freshDatabase();
        dataSource = new SingleConnectionDataSource(db.jdbcUrl(), db.username(), db.password(), true);
        template = new JdbcTemplate(dataSource);
        template.execute("CREATE TABLE times (id integer PRIMARY KEY, at timestamptz)");
        for (int i = 0; i < STORED.size(); i++) {
            template.update("INSERT INTO times VALUES (?, CAST(? AS timestamptz))", i, STORED.get(i));
        }
        template.update("INSERT INTO times VALUES (?, NULL)", STORED.size());
    }

    @AfterAll
    static void close() {
        dataSource.destroy();
    }

    @Test
    void textAndBinaryValuesReadAsTheDriversOffsetDateTime() {
        List<Boolean> binary = new ArrayList<>();
        for (int run = 0; run < 8; run++) { // the driver prepares the statement on the server from its fifth run
            template.query("SELECT at FROM times WHERE id >= ? ORDER BY id", (ResultSet rs) -> {
                binary.add(rs.getMetaData().unwrap(org.postgresql.PGResultSetMetaData.class).getFormat(1) == 1);
                int rows = 0;
                while (rs.next()) {
                    OffsetDateTime driver = rs.getObject(1, OffsetDateTime.class);
                    assertThat(StoredInstants.read(rs, 1)).isEqualTo(driver == null ? null : driver.toInstant());
                    rows++;
                }
                assertThat(rows).isEqualTo(STORED.size() + 1);
                return null;
            }, 0);
        }
        assertThat(binary).contains(false, true);
    }

    @Test
    void aBinaryValueIsTheInstantStored() throws SQLException {
        List<Instant> read = new ArrayList<>();
        for (int run = 0; run < 8; run++) {
            read.add(template.query("SELECT at FROM times WHERE id = ?", (ResultSet rs) -> {
                rs.next();
                return StoredInstants.read(rs, 1);
            }, 0));
        }
        assertThat(read).containsOnly(Instant.parse("2026-11-30T18:45:12.464007Z"));
    }
}
