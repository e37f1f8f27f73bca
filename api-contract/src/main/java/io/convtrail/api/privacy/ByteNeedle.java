package io.convtrail.api.privacy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An ASCII string to find in UTF-8 bytes, by Horspool's skip table: every payload a reader answers is
 * searched for the sealed prefix, and a byte-by-byte search was a fifth of a long audit's CPU; this one
 * looks at about one byte in six of JSON text. (An ASCII byte never occurs inside a multi-byte UTF-8
 * sequence, so a match in the bytes is a match in the text.)
 */
final class ByteNeedle {

    private final byte[] bytes;
    private final int[] skip = new int[256];

    ByteNeedle(String ascii) {
        bytes = ascii.getBytes(StandardCharsets.US_ASCII);
        Arrays.fill(skip, bytes.length);
        for (int i = 0; i < bytes.length - 1; i++) {
            skip[bytes[i] & 0xFF] = bytes.length - 1 - i;
        }
    }

    int length() {
        return bytes.length;
    }

    /** Where it first occurs in {@code text} at or after {@code from}; -1 if nowhere. */
    int in(byte[] text, int from) {
        int last = bytes.length - 1;
        byte lastByte = bytes[last];
        for (int at = Math.max(from, 0); at + last < text.length; ) {
            byte b = text[at + last];
            if (b == lastByte) {
                int i = last - 1;
                while (i >= 0 && text[at + i] == bytes[i]) {
                    i--;
                }
                if (i < 0) {
                    return at;
                }
            }
            at += skip[b & 0xFF];
        }
        return -1;
    }
}
