package io.convtrail.api.privacy;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The search finds what a byte-by-byte search finds, at every start, in texts dense with near misses, short
 * ones (under a word of eight bytes) and long ones (many words and a tail).
 */
class ByteNeedleTest {

    @Test
    void findsWhatIndexOfFinds() {
        Random random = new Random(15);
        String alphabet = "enc:v1\"é👋x";
        for (String needle : new String[]{ContentCipher.PREFIX, "\"" + ContentCipher.PREFIX}) {
            ByteNeedle search = new ByteNeedle(needle);
            for (int round = 0; round < 4_000; round++) {
                StringBuilder text = new StringBuilder();
                for (int i = random.nextInt(round % 2 == 0 ? 12 : 300); i > 0; i--) {
                    text.append(random.nextInt(8) == 0 ? needle : String.valueOf(
                            Character.toChars(alphabet.codePointAt(alphabet.offsetByCodePoints(0,
                                    random.nextInt(alphabet.codePointCount(0, alphabet.length())))))));
                }
                String ascii = text.toString();
                byte[] utf8 = ascii.getBytes(StandardCharsets.UTF_8);
                int from = random.nextInt(utf8.length + 1);
                int expected = indexOf(utf8, needle.getBytes(StandardCharsets.US_ASCII), from);
                assertThat(search.in(utf8, from)).as("%s in %s from %d", needle, ascii, from).isEqualTo(expected);
            }
        }
    }

    private static int indexOf(byte[] text, byte[] part, int from) {
        for (int at = from; at + part.length <= text.length; at++) {
            int i = 0;
            while (i < part.length && text[at + i] == part[i]) {
                i++;
            }
            if (i == part.length) {
                return at;
            }
        }
        return -1;
    }
}
