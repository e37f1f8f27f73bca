package io.convtrail.query.projection;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
    /** Small enough that G1 allocates it in the young generation like any other object. */
    private static final int CHUNK = 64 * 1024;
    private static final VarHandle BIG_ENDIAN_INT =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle BIG_ENDIAN_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final String copy;
    private final int columns;
    /**
     * The rows so far, in chunks of {@link #CHUNK} bytes written in place and sent as they are: the chunks
     * filled (each with its length), then the one being written. A {@code DataOutputStream} over a
     * {@code ByteArrayOutputStream} took a lock for every byte of every length word and copied the whole
     * page once more to send it; one array doubled as it filled copied a page of 2,000 stage rows (~1.5 MB)
     * about twice more, in arrays large enough for G1 to allocate them outside the young generation, one at a
     * time ({@code Arrays.copyOf} was ~10 % of a rebuild's samples).
     */
    private final List<Filled> filled = new ArrayList<>();
    private byte[] bytes = new byte[CHUNK];
    private int size;
    private int rows;

    private record Filled(byte[] bytes, int size) {
    }

    /** @param table the table and its columns, in the order every row gives them: {@code audit_event (a, b)} */
    public CopyRows(String table, int columns) {
        this.copy = "COPY " + table + " FROM STDIN (FORMAT binary)";
        this.columns = columns;
        put(SIGNATURE);
        putInt(0);
        putInt(0);
    }

    public CopyRows row() {
        rows++;
        putShort(columns);
        return this;
    }

    public CopyRows bigint(Long value) {
        if (value == null) {
            return nullValue();
        }
        putInt(8);
        putLong(value);
        return this;
    }

    public CopyRows integer(Integer value) {
        if (value == null) {
            return nullValue();
        }
        putInt(4);
        putInt(value);
        return this;
    }

    public CopyRows uuid(UUID value) {
        if (value == null) {
            return nullValue();
        }
        putInt(16);
        putLong(value.getMostSignificantBits());
        putLong(value.getLeastSignificantBits());
        return this;
    }

    public CopyRows text(String value) {
        if (value == null) {
            return nullValue();
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        putInt(utf8.length);
        put(utf8);
        return this;
    }

    public CopyRows timestamptz(Instant value) {
        if (value == null) {
            return nullValue();
        }
        putInt(8);
        putLong(microseconds(value));
        return this;
    }

    /** Sends the rows on the transaction's connection; answers how many the server stored. */
    public long copyInto(JdbcTemplate jdbc) {
        if (rows == 0) {
            return 0;
        }
        putShort(-1);
        Long stored = jdbc.execute((ConnectionCallback<Long>) connection -> {
            CopyIn in = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copy);
            try {
                for (Filled chunk : filled) {
                    in.writeToCopy(chunk.bytes(), 0, chunk.size());
                }
                in.writeToCopy(bytes, 0, size);
                return in.endCopy();
            } finally {
                if (in.isActive()) {
                    in.cancelCopy();
                }
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
        putInt(-1);
        return this;
    }

    /** Room for a value of {@code more} bytes (at most 8) in the chunk being written, else a new one. */
    private void room(int more) {
        if (size + more > bytes.length) {
            filled.add(new Filled(bytes, size));
            bytes = new byte[CHUNK];
            size = 0;
        }
    }

    /** Any number of bytes, split over chunks where the one being written fills up. */
    private void put(byte[] value) {
        int from = 0;
        while (from < value.length) {
            if (size == bytes.length) {
                room(1);
            }
            int part = Math.min(value.length - from, bytes.length - size);
            System.arraycopy(value, from, bytes, size, part);
            size += part;
            from += part;
        }
    }

    private void putShort(int value) {
        room(2);
        bytes[size++] = (byte) (value >>> 8);
        bytes[size++] = (byte) value;
    }

    private void putInt(int value) {
        room(4);
        BIG_ENDIAN_INT.set(bytes, size, value);
        size += 4;
    }

    private void putLong(long value) {
        room(8);
        BIG_ENDIAN_LONG.set(bytes, size, value);
        size += 8;
    }
}
