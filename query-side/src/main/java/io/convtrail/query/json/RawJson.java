package io.convtrail.query.json;

import com.fasterxml.jackson.core.SerializableString;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A JSON value already rendered to UTF-8, for {@code JsonGenerator.writeRawValue}: a byte generator
 * copies these bytes as they are. A trace writes each stage up to three times (in {@code stages}, in its
 * step, in its turn's step); rendered once, the two other times are a copy.
 * <p>
 * Only the unquoted forms make sense for a rendered value; the quoted ones are not offered.
 */
public final class RawJson implements SerializableString {

    private final byte[] utf8;

    public RawJson(byte[] utf8) {
        this.utf8 = utf8;
    }

    public int length() {
        return utf8.length;
    }

    @Override
    public String getValue() {
        return new String(utf8, StandardCharsets.UTF_8);
    }

    @Override
    public int charLength() {
        return getValue().length();
    }

    @Override
    public byte[] asUnquotedUTF8() {
        return utf8;
    }

    @Override
    public int appendUnquotedUTF8(byte[] buffer, int offset) {
        if (offset + utf8.length > buffer.length) {
            return -1;
        }
        System.arraycopy(utf8, 0, buffer, offset, utf8.length);
        return utf8.length;
    }

    @Override
    public int appendUnquoted(char[] buffer, int offset) {
        String value = getValue();
        if (offset + value.length() > buffer.length) {
            return -1;
        }
        value.getChars(0, value.length(), buffer, offset);
        return value.length();
    }

    @Override
    public int writeUnquotedUTF8(OutputStream out) throws IOException {
        out.write(utf8);
        return utf8.length;
    }

    @Override
    public int putUnquotedUTF8(ByteBuffer buffer) {
        if (buffer.remaining() < utf8.length) {
            return -1;
        }
        buffer.put(utf8);
        return utf8.length;
    }

    @Override
    public char[] asQuotedChars() {
        throw quotedNotOffered();
    }

    @Override
    public byte[] asQuotedUTF8() {
        throw quotedNotOffered();
    }

    @Override
    public int appendQuotedUTF8(byte[] buffer, int offset) {
        throw quotedNotOffered();
    }

    @Override
    public int appendQuoted(char[] buffer, int offset) {
        throw quotedNotOffered();
    }

    @Override
    public int writeQuotedUTF8(OutputStream out) {
        throw quotedNotOffered();
    }

    @Override
    public int putQuotedUTF8(ByteBuffer buffer) {
        throw quotedNotOffered();
    }

    private static UnsupportedOperationException quotedNotOffered() {
        return new UnsupportedOperationException("a rendered JSON value is written raw, never as a string");
    }
}
