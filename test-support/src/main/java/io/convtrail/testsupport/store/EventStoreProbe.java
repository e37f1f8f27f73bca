package io.convtrail.testsupport.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What Axon's event store ({@code domainevententry}) holds, for tests and the bench: the truth a
 * read model, a stream or an export is checked against. The one place outside the service that
 * knows the table's columns; JDK JDBC and Jackson only, so the bench can use it too.
 */
public final class EventStoreProbe {

    public static final String TURN_STARTED = "io.convtrail.api.event.TurnStartedEvent";
    public static final String STAGE = "io.convtrail.api.event.StageRecordedEvent";
    public static final String VERBOSE = "io.convtrail.api.event.VerboseRecordedEvent";

    /** Where the probe gets a connection (a DataSource's {@code getConnection}, or the bench's database). */
    @FunctionalInterface
    public interface Connections {
        Connection open() throws SQLException;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connections connections;

    public EventStoreProbe(Connections connections) {
        this.connections = connections;
    }

    /** Every event of every conversation. */
    public long events() {
        return number("SELECT count(*) FROM domainevententry");
    }

    public long events(UUID conversationId) {
        return number("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ?", conversationId.toString());
    }

    /** Stage and verbose records: the conversation's last stream position. */
    public long records(UUID conversationId) {
        return number("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ? AND payloadtype IN (?, ?)",
                conversationId.toString(), STAGE, VERBOSE);
    }

    /** Events of one type ({@link #STAGE}, {@link #TURN_STARTED}, …). */
    public long events(UUID conversationId, String payloadType) {
        return number("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ? AND payloadtype = ?",
                conversationId.toString(), payloadType);
    }

    /** The store's head: the highest global index, 0 when it is empty. */
    public long head() {
        return number("SELECT coalesce(max(globalindex), 0) FROM domainevententry");
    }

    /** The global index of the conversation's first event of a type ({@code null}: any type). */
    public long firstPosition(UUID conversationId, String payloadType) {
        return number("SELECT min(globalindex) FROM domainevententry WHERE aggregateidentifier = ? "
                + "AND (CAST(? AS text) IS NULL OR payloadtype = ?)", conversationId.toString(), payloadType, payloadType);
    }

    /** The payloads of the conversation's events of a type ({@code null}: every type), in order, as JSON. */
    public List<JsonNode> payloads(UUID conversationId, String payloadType) {
        List<JsonNode> payloads = new ArrayList<>();
        query("SELECT payload FROM domainevententry WHERE aggregateidentifier = ? "
                        + "AND (CAST(? AS text) IS NULL OR payloadtype = ?) ORDER BY sequencenumber",
                rs -> payloads.add(parse(rs.getBytes(1))), conversationId.toString(), payloadType, payloadType);
        return payloads;
    }

    /** The identifier of the conversation's one event whose payload contains {@code text}. */
    public String eventIdContaining(UUID conversationId, String text) {
        List<String> ids = new ArrayList<>();
        query("SELECT eventidentifier FROM domainevententry WHERE aggregateidentifier = ? "
                + "AND convert_from(payload, 'UTF8') LIKE ?", rs -> ids.add(rs.getString(1)),
                conversationId.toString(), "%" + text + "%");
        if (ids.size() != 1) {
            throw new IllegalStateException(ids.size() + " events of " + conversationId + " contain " + text);
        }
        return ids.get(0);
    }

    /** Tampers with the store, as an attacker with write access would: replaces text in the conversation's stage payloads. */
    public int replaceInStagePayloads(UUID conversationId, String text, String replacement) {
        try (Connection c = connections.open(); PreparedStatement s = c.prepareStatement(
                "UPDATE domainevententry SET payload = convert_to(replace(convert_from(payload, 'UTF8'), ?, ?), 'UTF8') "
                        + "WHERE aggregateidentifier = ? AND strpos(convert_from(payload, 'UTF8'), ?) > 0 AND payloadtype = ?")) {
            bind(s, text, replacement, conversationId.toString(), text, STAGE);
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private interface Row {
        void read(ResultSet rs) throws SQLException;
    }

    private long number(String sql, Object... parameters) {
        long[] value = {0};
        query(sql, rs -> value[0] = rs.getLong(1), parameters);
        return value[0];
    }

    private void query(String sql, Row row, Object... parameters) {
        try (Connection c = connections.open(); PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, parameters);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    row.read(rs);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static void bind(PreparedStatement s, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            s.setObject(i + 1, parameters[i]);
        }
    }

    private static JsonNode parse(byte[] payload) {
        try {
            return JSON.readTree(new String(payload, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not a JSON payload", e);
        }
    }
}
