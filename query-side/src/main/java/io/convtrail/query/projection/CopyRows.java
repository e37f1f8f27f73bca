package io.convtrail.query.projection;

import org.postgresql.PGConnection;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * Rows for one table in PostgreSQL's binary {@code COPY} format, sent with {@code COPY … FROM STDIN}
 * in the caller's transaction: for a replay's batches, whose rows are new to tables the reset emptied.
 * Against the projections' multi-row {@code INSERT … SELECT FROM unnest(…) ON CONFLICT DO NOTHING} the
 * server parses no text (uuids, times), looks for no conflicting row before each insert and writes
 * the heap in multi-row pages, and the driver escapes nothing. A row that is there after all fails the
 * copy, and with it the batch, which is then written again event by event with the {@code INSERT}s.
 * <p>
 * Each value is written in its column's binary form, so the column types are the caller's to match:
 * {@code bigint}, {@code integer}, {@code uuid}, {@code timestamptz}, and text for {@code text},
 * {@code varchar}, {@code char} and {@code json}.
 */
public final class CopyRows {

    private static final byte[] SIGNATURE = "PGCOPY\n\377\r\n\0".getBytes(StandardCharsets.ISO_8859_1);
    /** 2000-01-01T00:00:00Z, PostgreSQL's epoch for timestamps, in seconds of the Unix epoch. */
    private static final long POSTGRES_EPOCH_SECONDS = 946_684_800L;

    private final String copy;
    private final int columns;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
    private final DataOutputStream out = new DataOutputStream(bytes);
    private int rows;

    /** @param table the table and its columns, in the order every row gives them: {@code audit_event (a, b)} */
    public CopyRows(String table, int columns) {
        this.copy = "COPY " + table + " FROM STDIN (FORMAT binary)";
        this.columns = columns;
        write(() -> {
            out.write(SIGNATURE);
            out.writeInt(0);
            out.writeInt(0);
        });
    }

    public CopyRows row() {
        rows++;
        return write(() -> out.writeShort(columns));
    }

    public CopyRows bigint(Long value) {
        return value == null ? nullValue() : write(() -> {
            out.writeInt(8);
            out.writeLong(value);
        });
    }

    public CopyRows integer(Integer value) {
        return value == null ? nullValue() : write(() -> {
            out.writeInt(4);
            out.writeInt(value);
        });
    }

    public CopyRows uuid(UUID value) {
        return value == null ? nullValue() : write(() -> {
            out.writeInt(16);
            out.writeLong(value.getMostSignificantBits());
            out.writeLong(value.getLeastSignificantBits());
        });
    }

    public CopyRows text(String value) {
        if (value == null) {
            return nullValue();
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        return write(() -> {
            out.writeInt(utf8.length);
            out.write(utf8);
        });
    }

    public CopyRows timestamptz(Instant value) {
        return value == null ? nullValue() : write(() -> {
            out.writeInt(8);
            out.writeLong(microseconds(value));
        });
    }

    /** Sends the rows on the transaction's connection; answers how many the server stored. */
    public long copyInto(JdbcTemplate jdbc) {
        if (rows == 0) {
            return 0;
        }
        write(() -> out.writeShort(-1));
        Long stored = jdbc.execute((ConnectionCallback<Long>) connection -> {
            try {
                return connection.unwrap(PGConnection.class).getCopyAPI()
                        .copyIn(copy, new ByteArrayInputStream(bytes.toByteArray()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return stored == null ? 0 : stored;
    }

    /**
     * Microseconds since PostgreSQL's epoch, rounded as the server rounds a time given as text (the
     * fraction read as a double, then to the nearest microsecond), so that a copied row holds the time an
     * inserted one would.
     */
    static long microseconds(Instant value) {
        int nanos = value.getNano();
        long micros = nanos % 1000 == 0 ? nanos / 1000
                : (long) Math.rint(Double.parseDouble("0." + String.format("%09d", nanos)) * 1_000_000);
        return (value.getEpochSecond() - POSTGRES_EPOCH_SECONDS) * 1_000_000L + micros;
    }

    private CopyRows nullValue() {
        return write(() -> out.writeInt(-1));
    }

    private interface Write {
        void run() throws IOException;
    }

    private CopyRows write(Write write) {
        try {
            write.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }
}
