package io.convtrail.query.projection;

import org.postgresql.core.Oid;
import org.postgresql.util.PGBinaryObject;
import org.postgresql.util.PGobject;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A {@code varchar[]} parameter in PostgreSQL's binary array format, written into the one array the
 * driver allocates for it at its exact size. The driver's own encoder for a {@code String[]} writes the
 * same bytes through a {@code ByteArrayOutputStream} that starts at 1 KB and doubles, then copies the
 * result again: for a batch's stage payloads (tens of KB) that was a tenth of the service's allocation
 * (docs/performance.md, branch {@code turn6}). Only sent where the driver sends {@code varchar[]} in
 * binary ({@link SqlArrays} asks); its text form is never used.
 */
final class BinaryTextArray extends PGobject implements PGBinaryObject {

    /** dimensions, has-nulls flag, element type; then the one dimension's length and lower bound */
    private static final int HEADER = 20;
    private static final int EMPTY_HEADER = 12;

    private final transient byte[][] elements;
    private final boolean hasNull;
    private final int length;

    BinaryTextArray(String[] values) {
        setType("varchar[]");
        elements = new byte[values.length][];
        boolean nulls = false;
        int bytes = values.length == 0 ? EMPTY_HEADER : HEADER;
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                nulls = true;
            } else {
                elements[i] = values[i].getBytes(StandardCharsets.UTF_8);
                bytes += elements[i].length;
            }
            bytes += Integer.BYTES;
        }
        hasNull = nulls;
        length = bytes;
    }

    @Override
    public int lengthInBytes() {
        return length;
    }

    @Override
    public void toBytes(byte[] bytes, int offset) {
        ByteBuffer out = ByteBuffer.wrap(bytes, offset, length);
        out.putInt(elements.length == 0 ? 0 : 1).putInt(hasNull ? 1 : 0).putInt(Oid.VARCHAR);
        if (elements.length == 0) {
            return;
        }
        out.putInt(elements.length).putInt(1);
        for (byte[] element : elements) {
            if (element == null) {
                out.putInt(-1);
            } else {
                out.putInt(element.length).put(element);
            }
        }
    }

    @Override
    public void setByteValue(byte[] value, int offset) {
        throw new UnsupportedOperationException("a parameter only: never read from a result");
    }
}
