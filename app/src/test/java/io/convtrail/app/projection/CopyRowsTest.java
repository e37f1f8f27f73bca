package io.convtrail.app.projection;

import io.convtrail.query.projection.CopyRows;
import io.convtrail.query.projection.SqlArrays;
import io.convtrail.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A replay's rows copied in ({@link CopyRows}) are the rows the projections' multi-row {@code INSERT}s
 * store for the same values, down to times finer than PostgreSQL keeps (rounded as the server rounds
 * them given as text), and a row that is there already fails the copy instead of being skipped.
 */
class CopyRowsTest {

    private static final String COLUMNS = "(id, conversation_id, turn_id, n, kind, payload, body, created_at, hash)";
    private static SingleConnectionDataSource dataSource;
    private static JdbcTemplate template;
    private static JdbcClient jdbc;

    /** One row's values, as a projection holds them. */
    private record Row(long id, UUID conversationId, UUID turnId, Integer n, String kind, String payload, String body,
                       Instant createdAt, String hash) {
    }

    @BeforeAll
    static void database() {
        TestPostgres.Database db = TestPostgres.freshDatabase();
        dataSource = new SingleConnectionDataSource(db.jdbcUrl(), db.username(), db.password(), true);
        template = new JdbcTemplate(dataSource);
        jdbc = JdbcClient.create(dataSource);
        for (String table : List.of("inserted", "copied")) {
            template.execute("CREATE TABLE " + table + " (id bigint PRIMARY KEY, conversation_id uuid NOT NULL, "
                    + "turn_id uuid, n integer, kind varchar(16) NOT NULL, payload json NOT NULL, body text, "
                    + "created_at timestamptz NOT NULL, hash char(64) NOT NULL)");
        }
    }

    @AfterAll
    static void close() {
        dataSource.destroy();
    }

    @Test
    void copiedRowsEqualInsertedOnes() {
        Instant second = Instant.parse("2026-11-30T16:20:01Z");
        List<Row> rows = List.of(
                new Row(1, UUID.randomUUID(), UUID.randomUUID(), 7, "AUDIT", "{\"text\":\"h\\u00e9 \\\"q\\\"\"}",
                        "é ✓ \"quoted\"", second.plusNanos(123_456_000), "a".repeat(64)),
                new Row(2, UUID.randomUUID(), null, null, "VERBOSE", "[]", null, second.plusNanos(500), "b".repeat(64)),
                new Row(3, UUID.randomUUID(), null, -1, "AUDIT", "{}", "", second.plusNanos(1_500), "c".repeat(64)),
                new Row(4, UUID.randomUUID(), null, 0, "AUDIT", "{}", "x", second.plusNanos(2_501), "d".repeat(64)),
                new Row(5, UUID.randomUUID(), null, 0, "AUDIT", "{}", "x", Instant.parse("1999-12-31T23:59:59.999999Z"),
                        "e".repeat(64)));
        insert(rows);
        CopyRows copy = new CopyRows("copied " + COLUMNS, 9);
        for (Row row : rows) {
            copy.row().bigint(row.id()).uuid(row.conversationId()).uuid(row.turnId()).integer(row.n()).text(row.kind())
                    .text(row.payload()).text(row.body()).timestamptz(row.createdAt()).text(row.hash());
        }

        assertThat(copy.copyInto(template)).isEqualTo(rows.size());
        assertThat(table("copied")).isEqualTo(table("inserted")).hasSize(rows.size());
    }

    @Test
    void rowsOverManyChunksOfTheCopyArriveWhole() {
        template.execute("TRUNCATE inserted, copied");
        Instant second = Instant.parse("2026-12-01T04:30:00Z");
        List<Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 400; i++) {
            // bodies of every length up to ~10 KB, one of ~300 KB: values and length words cross the chunks' ends
            String body = i == 200 ? "ü€".repeat(100_000) : "é" + "x".repeat((i * 7_919) % 10_000);
            rows.add(new Row(10_000 + i, UUID.randomUUID(), i % 3 == 0 ? null : UUID.randomUUID(), i, "AUDIT",
                    "{\"i\":" + i + "}", body, second.plusNanos(i * 1_001L), "h".repeat(64)));
        }
        insert(rows);
        CopyRows copy = new CopyRows("copied " + COLUMNS, 9);
        for (Row row : rows) {
            copy.row().bigint(row.id()).uuid(row.conversationId()).uuid(row.turnId()).integer(row.n()).text(row.kind())
                    .text(row.payload()).text(row.body()).timestamptz(row.createdAt()).text(row.hash());
        }

        try {
            assertThat(copy.copyInto(template)).isEqualTo(rows.size());
            assertThat(table("copied")).isEqualTo(table("inserted")).hasSize(rows.size());
        } finally {
            template.execute("TRUNCATE inserted, copied");
        }
    }

    @Test
    void aRowAlreadyThereFailsTheCopy() {
        template.execute("CREATE TABLE IF NOT EXISTS taken (id bigint PRIMARY KEY)");
        template.execute("INSERT INTO taken VALUES (42)");
        CopyRows copy = new CopyRows("taken (id)", 1);
        copy.row().bigint(41L).row().bigint(42L);

        assertThatThrownBy(() -> copy.copyInto(template)).isInstanceOf(DataIntegrityViolationException.class);
        assertThat(jdbc.sql("SELECT count(*) FROM taken").query(Long.class).single()).isEqualTo(1);
    }

    /** As the projections insert: typed arrays, times as ISO text cast by the server. */
    private static void insert(List<Row> rows) {
        jdbc.sql("INSERT INTO inserted " + COLUMNS + """
                         SELECT * FROM unnest(CAST(:ids AS bigint[]), CAST(:conversations AS uuid[]),
                                             CAST(:turns AS uuid[]), CAST(:ns AS integer[]), CAST(:kinds AS text[]),
                                             CAST(:payloads AS json[]), CAST(:bodies AS text[]),
                                             CAST(:createdAts AS timestamptz[]), CAST(:hashes AS text[]))""")
                .param("ids", SqlArrays.of("bigint", rows, Row::id))
                .param("conversations", SqlArrays.of("uuid", rows, Row::conversationId))
                .param("turns", SqlArrays.of("uuid", rows, Row::turnId))
                .param("ns", SqlArrays.of("integer", rows, Row::n))
                .param("kinds", SqlArrays.of("text", rows, Row::kind))
                .param("payloads", SqlArrays.of("text", rows, Row::payload))
                .param("bodies", SqlArrays.of("text", rows, Row::body))
                .param("createdAts", SqlArrays.of("text", rows, Row::createdAt))
                .param("hashes", SqlArrays.of("text", rows, Row::hash))
                .update();
    }

    private static List<String> table(String name) {
        return jdbc.sql("SELECT id, conversation_id, turn_id, n, kind, payload::text, body, created_at, hash FROM "
                        + name + " ORDER BY id")
                .query((rs, i) -> {
                    StringBuilder row = new StringBuilder();
                    for (int column = 1; column <= 9; column++) {
                        row.append(rs.getString(column)).append('|');
                    }
                    return row.toString();
                })
                .list();
    }
}
