package io.convtrail.query.store;

import io.convtrail.api.Stage;
import io.convtrail.api.event.StageRecordedEvent;
import io.convtrail.query.json.IsoInstants;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

/**
 * A stored {@link StageRecordedEvent} (nine in ten stored events) read straight from its serialized bytes,
 * instead of through Jackson's databind (a parser and a deserialization context per event, a record's
 * property-based creator, a reflective constructor call) and Jackson's string decoding: the stage's payload is
 * a JSON document inside a JSON string, and unescaping it char by char into Jackson's text buffer was 12 % of
 * a rebuild's CPU; here it is one pass over the bytes. Only the shape the serializer writes is read: an
 * object of the event's seven fields, each once and no other, without white space, each value of the
 * token its type is written as (an id in its 36-character form, the time in the form
 * {@code Instant.toString()} writes, a stage by its name, a number without fraction or exponent), strings
 * in well-formed UTF-8. For anything else it answers null and the caller deserialises the event as
 * before, so what a stored event reads as never depends on this class.
 */
final class StoredStageEvents {

    private static final byte[][] FIELDS = {
            ascii("conversationId"), ascii("turnId"), ascii("sequence"), ascii("stage"), ascii("payloadJson"),
            ascii("createdAt"), ascii("hash")};
    private static final int CONVERSATION = 0;
    private static final int TURN = 1;
    private static final int SEQUENCE = 2;
    private static final int STAGE = 3;
    private static final int PAYLOAD = 4;
    private static final int CREATED = 5;
    private static final int HASH = 6;
    private static final int ALL = (1 << FIELDS.length) - 1;

    /** Thrown (once made, without a stack) where the bytes are not in the serializer's exact shape. */
    private static final class Unusual extends RuntimeException {
        private static final Unusual SHAPE = new Unusual();

        private Unusual() {
            super("not in the serializer's shape", null, false, false);
        }
    }

    private StoredStageEvents() {
    }

    /** The event {@code serialized} holds; null where it is not exactly in the serializer's shape. */
    static StageRecordedEvent read(byte[] serialized) {
        try {
            return new Reading(serialized).event();
        } catch (RuntimeException unusual) {
            return null;
        }
    }

    /** One event's bytes, read from the start. */
    private static final class Reading {

        private final byte[] in;
        private int at;

        Reading(byte[] in) {
            this.in = in;
        }

        StageRecordedEvent event() {
            UUID conversationId = null;
            UUID turnId = null;
            long sequence = 0;
            Stage stage = null;
            String payloadJson = null;
            Instant createdAt = null;
            String hash = null;
            int seen = 0;
            expect('{');
            while (true) {
                int field = field();
                if ((seen & 1 << field) != 0) {
                    throw Unusual.SHAPE;
                }
                seen |= 1 << field;
                switch (field) {
                    case CONVERSATION -> conversationId = uuid(plain());
                    case TURN -> turnId = isNull() ? null : uuid(plain());
                    case SEQUENCE -> sequence = number();
                    case STAGE -> stage = Stage.valueOf(plain());
                    case PAYLOAD -> payloadJson = isNull() ? null : string();
                    case CREATED -> createdAt = instant(plain());
                    default -> hash = isNull() ? null : string();
                }
                byte next = in[at++];
                if (next == '}') {
                    break;
                }
                if (next != ',') {
                    throw Unusual.SHAPE;
                }
            }
            if (seen != ALL || at != in.length) {
                throw Unusual.SHAPE;
            }
            return new StageRecordedEvent(conversationId, turnId, sequence, stage, payloadJson, createdAt, hash);
        }

        /** The next field's name, as its place in {@link #FIELDS}, and the colon after it. */
        private int field() {
            expect('"');
            int from = at;
            while (in[at] != '"') {
                at++;
            }
            int to = at;
            at++;
            expect(':');
            for (int field = 0; field < FIELDS.length; field++) {
                byte[] name = FIELDS[field];
                if (Arrays.equals(in, from, to, name, 0, name.length)) {
                    return field;
                }
            }
            throw Unusual.SHAPE;
        }

        /** Whether the value is {@code null} (then read). */
        private boolean isNull() {
            if (in[at] != 'n') {
                return false;
            }
            expect('n');
            expect('u');
            expect('l');
            expect('l');
            return true;
        }

        /** A string of printable ASCII without escapes: ids, names, times. */
        private String plain() {
            expect('"');
            int from = at;
            byte b;
            while ((b = in[at]) != '"') {
                if (b < 0x20 || b == '\\') {
                    throw Unusual.SHAPE;
                }
                at++;
            }
            at++;
            return new String(in, from, at - 1 - from, StandardCharsets.ISO_8859_1);
        }

        /** A whole number in JSON's syntax that fits a long. */
        private long number() {
            int from = at;
            if (in[at] == '-') {
                at++;
            }
            int digits = at;
            while (in[at] >= '0' && in[at] <= '9') {
                at++;
            }
            if (at == digits || in[digits] == '0' && at - digits > 1) {
                throw Unusual.SHAPE;
            }
            // more digits than a long has, or past its range: NumberFormatException
            return Long.parseLong(new String(in, from, at - from, StandardCharsets.ISO_8859_1));
        }

        /** Any string: escapes undone, UTF-8 decoded (malformed UTF-8 or a lone surrogate is unusual). */
        private String string() {
            expect('"');
            int from = at;
            boolean ascii = true;
            byte b;
            while ((b = in[at]) != '"' && b != '\\') {
                if (b < 0x20) {
                    if (b >= 0) {
                        throw Unusual.SHAPE;
                    }
                    ascii = false;
                }
                at++;
            }
            if (b == '"') {
                at++;
                return text(in, from, at - 1 - from, ascii);
            }
            // escaped: the text is no longer than its JSON
            byte[] out = new byte[in.length - from];
            int length = at - from;
            System.arraycopy(in, from, out, 0, length);
            while ((b = in[at++]) != '"') {
                if (b == '\\') {
                    int c = unescaped();
                    if (c < 0x80) {
                        out[length++] = (byte) c;
                    } else {
                        ascii = false;
                        length = utf8(c, out, length);
                    }
                } else if (b < 0x20) {
                    if (b >= 0) {
                        throw Unusual.SHAPE;
                    }
                    ascii = false;
                    out[length++] = b;
                } else {
                    out[length++] = b;
                }
            }
            return text(out, 0, length, ascii);
        }

        /** The code point of the escape after a backslash (a surrogate pair given as two escapes: one). */
        private int unescaped() {
            byte b = in[at++];
            return switch (b) {
                case '"', '\\', '/' -> b;
                case 'b' -> '\b';
                case 'f' -> '\f';
                case 'n' -> '\n';
                case 'r' -> '\r';
                case 't' -> '\t';
                case 'u' -> {
                    char c = hex4();
                    if (Character.isHighSurrogate(c)) {
                        expect('\\');
                        expect('u');
                        char low = hex4();
                        if (!Character.isLowSurrogate(low)) {
                            throw Unusual.SHAPE;
                        }
                        yield Character.toCodePoint(c, low);
                    }
                    if (Character.isLowSurrogate(c)) {
                        throw Unusual.SHAPE;
                    }
                    yield c;
                }
                default -> throw Unusual.SHAPE;
            };
        }

        private char hex4() {
            int value = 0;
            for (int i = 0; i < 4; i++) {
                int digit = Character.digit(in[at++], 16);
                if (digit < 0) {
                    throw Unusual.SHAPE;
                }
                value = value << 4 | digit;
            }
            return (char) value;
        }

        private void expect(char c) {
            if (in[at++] != c) {
                throw Unusual.SHAPE;
            }
        }
    }

    /** The text of UTF-8 bytes; malformed ones are unusual (Jackson refuses what Java's decoder would replace). */
    private static String text(byte[] bytes, int from, int length, boolean ascii) {
        if (ascii) {
            return new String(bytes, from, length, StandardCharsets.ISO_8859_1);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, from, length)).toString();
        } catch (CharacterCodingException malformed) {
            throw Unusual.SHAPE;
        }
    }

    /** Writes code point {@code c} (0x80 or above) in UTF-8; answers the length after it. */
    private static int utf8(int c, byte[] out, int at) {
        if (c < 0x800) {
            out[at++] = (byte) (0xC0 | c >> 6);
        } else if (c < 0x10000) {
            out[at++] = (byte) (0xE0 | c >> 12);
            out[at++] = (byte) (0x80 | c >> 6 & 0x3F);
        } else {
            out[at++] = (byte) (0xF0 | c >> 18);
            out[at++] = (byte) (0x80 | c >> 12 & 0x3F);
            out[at++] = (byte) (0x80 | c >> 6 & 0x3F);
        }
        out[at++] = (byte) (0x80 | c & 0x3F);
        return at;
    }

    private static Instant instant(String text) {
        Instant parsed = IsoInstants.parse(text);
        if (parsed == null) {
            throw Unusual.SHAPE;
        }
        return parsed;
    }

    /** An id in its canonical 36-character form (hex digits of either case). */
    static UUID uuid(String text) {
        if (text.length() != 36 || text.charAt(8) != '-' || text.charAt(13) != '-' || text.charAt(18) != '-'
                || text.charAt(23) != '-') {
            throw Unusual.SHAPE;
        }
        long high = hex(text, 0, 8);
        long mid = hex(text, 9, 13);
        long version = hex(text, 14, 18);
        long variant = hex(text, 19, 23);
        long low = hex(text, 24, 36);
        return new UUID(high << 32 | mid << 16 | version, variant << 48 | low);
    }

    private static long hex(String text, int from, int to) {
        long value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            int digit = c > 'f' ? -1 : Character.digit(c, 16);
            if (digit < 0) {
                throw Unusual.SHAPE;
            }
            value = value << 4 | digit;
        }
        return value;
    }

    private static byte[] ascii(String name) {
        return name.getBytes(StandardCharsets.US_ASCII);
    }
}
