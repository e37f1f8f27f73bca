package io.convtrail.api.text;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Eight bytes at a time: a {@code long} read from or written to a byte array (little-endian, so the lowest
 * lane is the first byte), and the classic "has a zero byte" tests on it that the searches and copies over
 * stored JSON use (the sealed prefix's search, the escaping into an answer, the unescaping of a stored
 * event). Each test answers the lanes it flags as their high bits; it can flag a lane above a flagged one
 * (a borrow), never miss one, so the lowest flag is exact: callers act up to it and look at that byte.
 */
public final class ByteLanes {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    /** Each lane's high bit: the lanes of non-ASCII bytes, and the form of every test's answer. */
    public static final long HIGHS = 0x8080808080808080L;
    private static final long SPACES = 0x20 * ONES;
    private static final long QUOTES = '"' * ONES;
    private static final long BACKSLASHES = '\\' * ONES;

    private ByteLanes() {
    }

    /** The eight bytes at {@code at} (which has eight after it), the first in the lowest lane. */
    public static long read(byte[] bytes, int at) {
        return (long) LONGS.get(bytes, at);
    }

    /** Writes the eight bytes of {@code word} at {@code at}, as {@link #read} reads them. */
    public static void write(byte[] bytes, int at, long word) {
        LONGS.set(bytes, at, word);
    }

    /** {@code b} in every lane. */
    public static long everyLane(int b) {
        return (b & 0xFFL) * ONES;
    }

    /** The lanes that hold zero. */
    public static long zeros(long word) {
        return (word - ONES) & ~word & HIGHS;
    }

    /** The lanes that hold a JSON string's stops: a control character (below 0x20), {@code "} or {@code \}. */
    public static long jsonStops(long word) {
        return (word - SPACES) & ~word & HIGHS | zeros(word ^ QUOTES) | zeros(word ^ BACKSLASHES);
    }
}
