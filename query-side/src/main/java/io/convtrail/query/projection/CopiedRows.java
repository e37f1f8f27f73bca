package io.convtrail.query.projection;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * A query's rows read as {@code COPY (SELECT …) TO STDOUT (FORMAT binary)} sends them, each handed over as
 * soon as it arrives: the reverse of {@link CopyRows}. A {@code SELECT} through the driver waits for the last
 * row before the first is handed over (all of them held as arrays of field arrays), so PostgreSQL producing
 * the rows and the caller consuming them take turns; a copy streams, so on two cores they overlap, and each
 * field is read in place from the row's message. A reader that fails has the rest of the copy read and
 * dropped before the failure goes on, so the connection goes back to the pool in step with the server. The
 * copy takes no parameters: the caller writes its values
 * into the statement, which is only safe for values whose text it controls (numbers, uuids, enum names).
 */
public final class CopiedRows {

    private static final byte[] SIGNATURE = "PGCOPY\n\377\r\n\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final VarHandle BIG_ENDIAN_INT =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle BIG_ENDIAN_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** What is done with each row; the row is only valid during the call. */
    @FunctionalInterface
    public interface Reader {
        void read(Row row);
    }

    /** One row's fields, in the copy's message as it came; reused for the next row. */
    public static final class Row {
        private byte[] message;
        private final int[] starts;
        private final int[] lengths;

        private Row(int columns) {
            starts = new int[columns];
            lengths = new int[columns];
        }

        public boolean isNull(int column) {
            return lengths[column] < 0;
        }

        /** A {@code bigint} column. */
        public long bigint(int column) {
            return (long) BIG_ENDIAN_LONG.get(message, starts[column]);
        }

        /** A {@code timestamptz} column as PostgreSQL stores it: microseconds since 2000-01-01T00:00:00Z. */
        public long timestamptzMicros(int column) {
            return (long) BIG_ENDIAN_LONG.get(message, starts[column]);
        }

        /** A text column's UTF-8 (a copy); null for NULL. */
        public byte[] utf8(int column) {
            return isNull(column) ? null : Arrays.copyOfRange(message, starts[column], starts[column] + lengths[column]);
        }

        /** A text column known to be ASCII (an enum's name); null for NULL. */
        public String ascii(int column) {
            return isNull(column) ? null : new String(message, starts[column], lengths[column], StandardCharsets.ISO_8859_1);
        }
    }

    private CopiedRows() {
    }

    /**
     * Runs {@code select} as a binary copy of {@code columns} columns on a connection of {@code jdbc} and hands
     * each row to {@code reader}; answers how many rows there were.
     */
    public static long read(JdbcTemplate jdbc, String select, int columns, Reader reader) {
        Long rows = jdbc.execute((ConnectionCallback<Long>) connection -> {
            CopyOut copy = connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyOut("COPY (" + select + ") TO STDOUT (FORMAT binary)");
            try {
                Row row = new Row(columns);
                long count = 0;
                boolean first = true;
                byte[] message;
                while ((message = copy.readFromCopy()) != null) {
                    int at = 0;
                    if (first) {
                        at = afterHeader(message);
                        first = false;
                    }
                    while (at < message.length) {
                        int fields = (short) ((message[at] & 0xFF) << 8 | (message[at + 1] & 0xFF));
                        at += 2;
                        if (fields == -1) {
                            break; // the trailer
                        }
                        if (fields != columns) {
                            throw new SQLException("a copied row has " + fields + " fields, not " + columns);
                        }
                        row.message = message;
                        for (int i = 0; i < columns; i++) {
                            int length = (int) BIG_ENDIAN_INT.get(message, at);
                            row.starts[i] = at + 4;
                            row.lengths[i] = length;
                            at += 4 + Math.max(length, 0);
                        }
                        reader.read(row);
                        count++;
                    }
                }
                return count;
            } catch (SQLException | RuntimeException e) {
                // the rest read and dropped: a cancelled copy-out left the pooled connection out of step with
                // the server (the next statement read the copy's leftovers; CopiedRowsTest)
                while (copy.isActive() && copy.readFromCopy() != null) {
                    continue;
                }
                throw e;
            }
        });
        return rows == null ? 0 : rows;
    }

    /** Where the first row starts after the binary copy's header: signature, flags, extension. */
    private static int afterHeader(byte[] message) throws SQLException {
        if (message.length < SIGNATURE.length + 8
                || !Arrays.equals(message, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)) {
            throw new SQLException("not a binary copy");
        }
        int extension = (int) BIG_ENDIAN_INT.get(message, SIGNATURE.length + 4);
        return SIGNATURE.length + 8 + extension;
    }
}
