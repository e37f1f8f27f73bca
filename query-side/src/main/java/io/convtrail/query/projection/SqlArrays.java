package io.convtrail.query.projection;

import io.convtrail.query.json.IsoInstants;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.Oid;
import org.postgresql.jdbc.PreferQueryMode;
import org.springframework.jdbc.core.SqlTypeValue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * One column of a batch of rows as a PostgreSQL array parameter, for the projections' multi-row
 * statements ({@code INSERT … SELECT * FROM unnest(…)}): one statement and one parse for a whole
 * batch, whatever its size. Times are passed as ISO-8601 text and cast, so no time zone is guessed (an
 * {@link Instant} is written by {@link IsoInstants#format}, without {@code Instant.toString}'s formatter).
 * <p>
 * The array is bound as a typed Java array ({@code Long[]}, {@code Integer[]}, else {@code String[]}),
 * which the driver sends in PostgreSQL's binary array format: a {@code java.sql.Array} made with
 * {@code createArrayOf} is always sent as an array literal, which escapes every character of every
 * value (a stage payload is JSON, full of quotes) on the way out and parses it again in the server,
 * 12 % of a rebuild's CPU. Every column type other than bigint and integer (uuid, timestamptz, json,
 * text) goes as text, which the statement's {@code CAST(… AS type[])} converts element by element, in a
 * {@link BinaryTextArray}: the driver's bytes for a {@code String[]}, without its growing buffer.
 */
public final class SqlArrays {

    private SqlArrays() {
    }

    public static <R> SqlTypeValue of(String type, List<R> rows, Function<R, ?> column) {
        Object[] values = switch (type) {
            case "bigint" -> new Long[rows.size()];
            case "integer" -> new Integer[rows.size()];
            default -> new String[rows.size()];
        };
        boolean text = values instanceof String[];
        for (int i = 0; i < values.length; i++) {
            Object value = column.apply(rows.get(i));
            values[i] = !text || value == null ? value
                    : value instanceof Instant instant ? IsoInstants.format(instant) : value.toString();
        }
        return (statement, index, sqlType, typeName) -> statement.setObject(index,
                text && sendsTextArraysInBinary(statement) ? new BinaryTextArray((String[]) values) : values);
    }

    /** Where the driver would not send it in binary (binary transfer or extended queries off), the String[] as before. */
    private static boolean sendsTextArraysInBinary(PreparedStatement statement) throws SQLException {
        Connection connection = statement.getConnection();
        if (!connection.isWrapperFor(BaseConnection.class)) {
            return false;
        }
        BaseConnection postgres = connection.unwrap(BaseConnection.class);
        return postgres.binaryTransferSend(Oid.VARCHAR_ARRAY) && postgres.getPreferQueryMode() != PreferQueryMode.SIMPLE;
    }
}
