package io.convtrail.query.json;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;

/**
 * A {@code timestamptz} column read as an {@link Instant} from the driver's bytes. Once a statement is
 * prepared on the server (from its fifth run on a connection) the driver receives timestamps in binary,
 * as PostgreSQL stores them: microseconds since 2000-01-01T00:00:00Z. {@code getObject(…, OffsetDateTime)}
 * then still builds an {@code OffsetDateTime} and its zone rules per value (about 50 bytes of garbage and
 * a map lookup for each of a long audit's 10,000 rows); reading the eight bytes is the same instant
 * without them. Text values (a statement's first runs), infinities and anything else are left to the
 * driver as before.
 */
public final class StoredInstants {

    /** 2000-01-01T00:00:00Z, PostgreSQL's epoch, in seconds since 1970-01-01T00:00:00Z. */
    private static final long POSTGRES_EPOCH_SECOND = 946_684_800L;
    /** The text form that is also eight bytes long: never taken for a binary value. */
    private static final byte[] INFINITY_TEXT = "infinity".getBytes(StandardCharsets.US_ASCII);

    private StoredInstants() {
    }

    /** The column's instant; null stays null. */
    public static Instant read(ResultSet rs, int column) throws SQLException {
        byte[] stored = rs.getBytes(column);
        if (stored == null) {
            return null;
        }
        if (stored.length == 8 && !Arrays.equals(stored, INFINITY_TEXT)) {
            long micros = 0;
            for (int i = 0; i < 8; i++) {
                micros = micros << 8 | (stored[i] & 0xFF);
            }
            if (micros != Long.MAX_VALUE && micros != Long.MIN_VALUE) {
                return Instant.ofEpochSecond(POSTGRES_EPOCH_SECOND + Math.floorDiv(micros, 1_000_000L),
                        Math.floorMod(micros, 1_000_000L) * 1_000L);
            }
        }
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }
}
