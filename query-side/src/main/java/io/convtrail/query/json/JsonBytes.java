package io.convtrail.query.json;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * A JSON answer built as UTF-8 bytes, exactly as Jackson's UTF-8 generator writes the same values
 * (compact, its default escapes): the audit and the trace of a long conversation copy the stored
 * UTF-8 of every row into the answer, escaping it in place, instead of decoding each row to a
 * {@code String} and encoding it again.
 * <p>
 * Jackson's string escapes: {@code "} and {@code \}, {@code \b \t \n \f \r}, other control characters
 * as a backslash, {@code u} and four upper-case hex digits, and a character outside the BMP as its
 * two surrogates, each escaped that way; everything else is copied.
 */
public final class JsonBytes {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    /**
     * For each byte value (unsigned): 0 copied, 'u' escaped as six characters, '4' the first of a 4-byte
     * sequence (a character outside the BMP, escaped as two surrogates), otherwise the letter after the
     * backslash.
     */
    private static final byte[] ESCAPES = new byte[256];

    static {
        for (int c = 0; c < 0x20; c++) {
            ESCAPES[c] = 'u';
        }
        ESCAPES['"'] = '"';
        ESCAPES['\\'] = '\\';
        ESCAPES['\b'] = 'b';
        ESCAPES['\t'] = 't';
        ESCAPES['\n'] = 'n';
        ESCAPES['\f'] = 'f';
        ESCAPES['\r'] = 'r';
        for (int b = 0xF0; b <= 0xF7; b++) {
            ESCAPES[b] = '4';
        }
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long SPACES = 0x20 * ONES;
    private static final long QUOTES = '"' * ONES;
    private static final long BACKSLASHES = '\\' * ONES;
    private static final long FOUR_BYTE_MASKS = 0xF8 * ONES;
    private static final long FOUR_BYTE_LEADS = 0xF0 * ONES;

    private byte[] bytes;
    private int size;

    public JsonBytes(int expectedSize) {
        this.bytes = new byte[Math.max(expectedSize, 64)];
    }

    public int size() {
        return size;
    }

    public JsonBytes put(char asciiChar) {
        ensure(1);
        bytes[size++] = (byte) asciiChar;
        return this;
    }

    /** Text known to be ASCII without anything to escape: field names and punctuation. */
    public JsonBytes ascii(String text) {
        int length = text.length();
        ensure(length);
        text.getBytes(0, length, bytes, size); // ASCII by contract: the deprecated copy is exact and cheap
        size += length;
        return this;
    }

    /** UTF-8 JSON copied as it is: a stored JSON value, or a part rendered before. */
    public JsonBytes raw(byte[] utf8) {
        ensure(utf8.length);
        System.arraycopy(utf8, 0, bytes, size, utf8.length);
        size += utf8.length;
        return this;
    }

    /** Bytes {@code from} to {@code to} of another one, copied as they are. */
    public JsonBytes raw(JsonBytes other, int from, int to) {
        ensure(to - from);
        System.arraycopy(other.bytes, from, bytes, size, to - from);
        size += to - from;
        return this;
    }

    public JsonBytes number(long value) {
        if (value == Long.MIN_VALUE) {
            return ascii(Long.toString(value));
        }
        ensure(20);
        if (value < 0) {
            bytes[size++] = '-';
            value = -value;
        }
        int digits = 1;
        for (long rest = value / 10; rest > 0; rest /= 10) {
            digits++;
        }
        for (int at = size + digits - 1; at >= size; at--) {
            bytes[at] = (byte) ('0' + value % 10);
            value /= 10;
        }
        size += digits;
        return this;
    }

    /** An instant as a string, as {@link IsoInstants#format} writes it; null as {@code null}. */
    public JsonBytes instant(Instant instant) {
        if (instant == null) {
            return nullValue();
        }
        ensure(IsoInstants.MAX_LENGTH + 2);
        bytes[size] = '"';
        int length = IsoInstants.write(instant, bytes, size + 1);
        if (length < 0) {
            return string(instant.toString());
        }
        size += length + 1;
        bytes[size++] = '"';
        return this;
    }

    public JsonBytes nullValue() {
        return raw(NULL);
    }

    /** A string value, quoted and escaped; null as {@code null}. */
    public JsonBytes string(String text) {
        return text == null ? nullValue() : string(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A string value given as its UTF-8, quoted and escaped; null as {@code null}. Read eight bytes at a
     * time: each word is copied to the answer in one store, and where a lane holds a byte to escape (see
     * {@link #toEscape}) the answer keeps the word's bytes before it, that byte is escaped, and the next word
     * is read from the byte after it. A stored payload is JSON, a quote every few bytes: a copy per clean
     * run and a table lookup per byte cost more than the escapes themselves.
     */
    public JsonBytes string(byte[] utf8) {
        if (utf8 == null) {
            return nullValue();
        }
        int length = utf8.length;
        ensure(length + Long.BYTES + 2); // the rest as it is, one word's overrun, the quotes; an escape asks for more
        bytes[size++] = '"';
        int i = 0;
        while (i < length) {
            if (i + Long.BYTES <= length) {
                long word = (long) LONGS.get(utf8, i);
                LONGS.set(bytes, size, word);
                long escapes = toEscape(word);
                if (escapes == 0) {
                    i += Long.BYTES;
                    size += Long.BYTES;
                    continue;
                }
                int clean = Long.numberOfTrailingZeros(escapes) >>> 3;
                i += clean;
                size += clean;
            } else if (ESCAPES[utf8[i] & 0xFF] == 0) {
                bytes[size++] = utf8[i++];
                continue;
            }
            i = escape(utf8, i);
        }
        bytes[size++] = '"';
        return this;
    }

    /** Writes the escape of the character at {@code i}, with room after it for the rest; answers where the next one is. */
    private int escape(byte[] utf8, int i) {
        int length = utf8.length;
        ensure(length - i + 12 + Long.BYTES + 2);
        int b = utf8[i];
        if (b >= 0) {
            byte escape = ESCAPES[b];
            if (escape == 'u') {
                escapeUnicode((char) b);
            } else {
                bytes[size++] = '\\';
                bytes[size++] = escape;
            }
            return i + 1;
        }
        if (i + 3 < length) {
            int codePoint = (b & 0x07) << 18 | (utf8[i + 1] & 0x3F) << 12 | (utf8[i + 2] & 0x3F) << 6
                    | (utf8[i + 3] & 0x3F);
            escapeUnicode(Character.highSurrogate(codePoint));
            escapeUnicode(Character.lowSurrogate(codePoint));
            return i + 4;
        }
        System.arraycopy(utf8, i, bytes, size, length - i); // a cut-off sequence: not UTF-8, kept as it is
        size += length - i;
        return length;
    }

    /**
     * The lanes of an eight-byte word (little-endian) that hold a byte {@link #ESCAPES} does not copy: a
     * control character, {@code "}, {@code \} or the first byte of a four-byte sequence (F0–F7), each a
     * "has a zero byte" test ({@code (x - 0x01…) & ~x & 0x80…}, or with 0x20 for "less than"). Such a test
     * can flag a lane above a flagged one (a borrow), never miss one, and its lowest flag is exact: the
     * caller copies up to the lowest flag and looks at that byte alone.
     */
    private static long toEscape(long word) {
        long quote = word ^ QUOTES;
        long backslash = word ^ BACKSLASHES;
        long fourByteLead = (word & FOUR_BYTE_MASKS) ^ FOUR_BYTE_LEADS;
        return ((word - SPACES) & ~word
                | (quote - ONES) & ~quote
                | (backslash - ONES) & ~backslash
                | (fourByteLead - ONES) & ~fourByteLead) & HIGHS;
    }

    public void writeTo(OutputStream out) throws IOException {
        out.write(bytes, 0, size);
    }

    /** Empties it, keeping its buffer. */
    public void clear() {
        size = 0;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    /** Six bytes, for which {@link #escape} made room. */
    private void escapeUnicode(char c) {
        bytes[size++] = '\\';
        bytes[size++] = 'u';
        bytes[size++] = HEX[c >> 12 & 0xF];
        bytes[size++] = HEX[c >> 8 & 0xF];
        bytes[size++] = HEX[c >> 4 & 0xF];
        bytes[size++] = HEX[c & 0xF];
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
