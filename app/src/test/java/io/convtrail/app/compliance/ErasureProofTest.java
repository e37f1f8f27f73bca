package io.convtrail.app.compliance;

import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.app.LocalApi;
import io.convtrail.command.aggregate.ConversationAggregate;
import io.convtrail.testsupport.TestTokens;
import org.axonframework.eventsourcing.Snapshotter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Proof that an erased conversation's personal content is gone: a person types a unique marker (in a
 * message, as a slot value, in feedback), the conversation is erased, PostgreSQL rewrites every table
 * (VACUUM FULL: no dead tuple keeps an old row version) and writes every page to disk (CHECKPOINT); then
 * every relation file of the database (tables, indexes, TOAST, catalogs) is read byte by byte, and every
 * row and binary value of every table is searched through SQL (which also sees values PostgreSQL stored
 * compressed); the service has no saga or dead-letter tables. The marker is in none, nor is the destroyed key (wrapped), nor the service's log output.
 * The marker did go in: before the erasure the trace showed it.
 */
@ConvtrailIntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class ErasureProofTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Snapshotter snapshotter;

    @Test
    void anErasedMarkerIsInNoTableNoIndexNoFileOfTheDatabaseAndNotInTheLogs(CapturedOutput output) {
        PersonalConversation c = PersonalConversation.play(port, TestTokens.user("proof-owner"));
        String id = c.id().toString();
        assertThat(trace(c)).contains(c.marker());
        snapshotter.scheduleSnapshot(ConversationAggregate.class, id); // the aggregate's state (slots) too
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql(
                "SELECT count(*) FROM snapshotevententry WHERE aggregateidentifier = ?").param(id)
                .query(Long.class).single() > 0);
        byte[] wrappedKey = jdbc.sql("SELECT wrapped_key FROM conversation_key WHERE conversation_id = ?")
                .param(c.id()).query(byte[].class).single();

        assertThat(c.erase(port, TestTokens.admin(), "proof").getStatusCode().value()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> trace(c).contains("CONVERSATION_ERASED"));
        assertThat(trace(c)).doesNotContain(c.marker());
        // the conversation index keeps the messages opened for search, until the erasure reaches it
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql(
                "SELECT count(*) FROM conversation_index_text WHERE conversation_id = ?").param(c.id())
                .query(Long.class).single() == 0);

        jdbc.sql("VACUUM FULL").update();
        jdbc.sql("CHECKPOINT").update();

        byte[] marker = c.marker().getBytes(StandardCharsets.UTF_8);
        List<String> files = jdbc.sql("""
                        SELECT pg_relation_filepath(oid) FROM pg_class
                        WHERE relkind IN ('r', 'i', 't', 'm', 'S') AND pg_relation_filepath(oid) IS NOT NULL""")
                .query(String.class).list();
        assertThat(files).as("relation files").hasSizeGreaterThan(100);
        List<String> withMarker = new ArrayList<>();
        List<String> withKey = new ArrayList<>();
        long bytesRead = 0;
        for (String file : files) {
            for (byte[] content : segments(file)) {
                bytesRead += content.length;
                if (contains(content, marker)) {
                    withMarker.add(file);
                }
                if (contains(content, wrappedKey)) {
                    withKey.add(file);
                }
            }
        }
        assertThat(bytesRead).isGreaterThan(1_000_000);
        assertThat(withMarker).as("relation files holding the marker").isEmpty();
        assertThat(withKey).as("relation files holding the destroyed key").isEmpty();

        List<String> tables = jdbc.sql("SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables "
                + "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')").query(String.class).list();
        assertThat(tables).contains("public.domainevententry", "public.snapshotevententry", "public.audit_event",
                "public.trace_turn", "public.trace_stage", "public.trace_step", "public.conversation_access",
                "public.conversation_key", "public.conversation_index_text", "public.tokenentry",
                "public.turn_runner", "public.projection_quarantine");
        for (String table : tables) {
            long rows = jdbc.sql("SELECT count(*) FROM " + table + " t WHERE position(? IN t::text) > 0")
                    .param(c.marker()).query(Long.class).single();
            assertThat(rows).as("rows of %s holding the marker", table).isZero();
        }
        // binary columns (event and snapshot payloads, tokens, sagas, dead letters) show as hex in a row's text
        List<String> binaryColumns = jdbc.sql("""
                        SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) || ' ' || quote_ident(column_name)
                        FROM information_schema.columns
                        WHERE data_type = 'bytea' AND table_schema NOT IN ('pg_catalog', 'information_schema')""")
                .query(String.class).list();
        assertThat(binaryColumns).contains("public.domainevententry payload", "public.snapshotevententry payload");
        for (String column : binaryColumns) {
            String[] tableAndColumn = column.split(" ");
            long rows = jdbc.sql("SELECT count(*) FROM " + tableAndColumn[0] + " WHERE position(convert_to(?, 'UTF8') IN "
                    + tableAndColumn[1] + ") > 0").param(c.marker()).query(Long.class).single();
            assertThat(rows).as("values of %s holding the marker", column).isZero();
        }

        assertThat(output.getAll()).as("the service's log output").doesNotContain(c.marker());
    }

    private String trace(PersonalConversation c) {
        return LocalApi.strict(port).get().uri("/api/v1/conversation/audit/{id}/trace", c.id()).retrieve()
                .body(String.class);
    }

    /** The file and its 1 GB continuation segments ({@code path.1}, ...), if any. */
    private List<byte[]> segments(String path) {
        List<byte[]> segments = new ArrayList<>();
        segments.add(jdbc.sql("SELECT pg_read_binary_file(?)").param(path).query(byte[].class).single());
        for (int i = 1; ; i++) {
            Long size = jdbc.sql("SELECT (pg_stat_file(?, true)).size").param(path + "." + i).query(Long.class)
                    .optional().orElse(null);
            if (size == null) {
                return segments;
            }
            segments.add(jdbc.sql("SELECT pg_read_binary_file(?)").param(path + "." + i).query(byte[].class).single());
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
