package io.convtrail.app.consistency;

import io.convtrail.api.Stage;
import io.convtrail.app.ScriptedConversation;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * Holds the audit projection back for real: a PostgreSQL trigger makes every insert into
 * {@code audit_event} wait for an advisory lock this object holds on a connection of its own, so the
 * audit segments with events to write stay in their batch (still claimed, still alive) until
 * {@link #close()}. The trace projection and the event store go on. Keep the hold well under Axon's
 * claim timeout (10 s): a segment silent for longer counts as gone.
 */
final class HeldAuditProjection implements AutoCloseable {

    private static final long LOCK = 0x6b656570L;

    private final JdbcClient jdbc;
    private final Connection holder;

    HeldAuditProjection(JdbcClient jdbc, DataSource dataSource) throws SQLException {
        this.jdbc = jdbc;
        this.holder = dataSource.getConnection();
        try (Statement lock = holder.createStatement()) {
            lock.execute("SELECT pg_advisory_lock(" + LOCK + ")");
        }
        jdbc.sql("""
                CREATE OR REPLACE FUNCTION hold_audit_inserts() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_advisory_xact_lock_shared(%d);
                    RETURN NULL;
                END $$""".formatted(LOCK)).update();
        jdbc.sql("""
                CREATE TRIGGER hold_audit_inserts BEFORE INSERT ON audit_event
                FOR EACH STATEMENT EXECUTE FUNCTION hold_audit_inserts()""").update();
    }

    /** Records a turn of {@code stages} stage events through the aggregate (not through the turn endpoint). */
    static ScriptedConversation recordTurnOf(CommandGateway commands, int stages) {
        ScriptedConversation c = new ScriptedConversation(commands).turn("filler");
        for (int i = 0; i < stages; i++) {
            c.stage(Stage.RULE_MATCH, Map.of("n", i));
        }
        return c.complete("GREETING", "IDLE");
    }

    long auditRows(java.util.UUID conversationId) {
        return jdbc.sql("SELECT count(*) FROM audit_event WHERE conversation_id = ?").param(conversationId)
                .query(Long.class).single();
    }

    /** Lets the audit projection go on and removes the trigger. */
    @Override
    public void close() throws SQLException {
        try (Statement unlock = holder.createStatement()) {
            unlock.execute("SELECT pg_advisory_unlock(" + LOCK + ")");
        } finally {
            holder.close();
            jdbc.sql("DROP TRIGGER IF EXISTS hold_audit_inserts ON audit_event").update();
            jdbc.sql("DROP FUNCTION IF EXISTS hold_audit_inserts()").update();
        }
    }
}
