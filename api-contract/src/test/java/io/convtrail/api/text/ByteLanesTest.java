package io.convtrail.api.text;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Each test's lowest flag is the first byte it looks for, and no flag means no such byte. */
class ByteLanesTest {

    private static final byte[] INTERESTING = {0, 1, 0x1F, 0x20, 0x21, '"', '\\', 'a', 0x7F, (byte) 0x80, (byte) 0xC3,
            (byte) 0xF0, (byte) 0xFF};

    @Test
    void theLowestFlagIsTheFirstByteLookedFor() {
        SplittableRandom random = new SplittableRandom(31);
        byte[] bytes = new byte[8];
        for (int i = 0; i < 500_000; i++) {
            for (int b = 0; b < 8; b++) {
                bytes[b] = i % 2 == 0 ? INTERESTING[random.nextInt(INTERESTING.length)] : (byte) random.nextInt(256);
            }
            long word = ByteLanes.read(bytes, 0);
            assertThat(lowest(ByteLanes.zeros(word))).isEqualTo(first(bytes, b -> b == 0));
            assertThat(lowest(ByteLanes.zeros(word ^ ByteLanes.everyLane('"')))).isEqualTo(first(bytes, b -> b == '"'));
            assertThat(lowest(ByteLanes.jsonStops(word)))
                    .isEqualTo(first(bytes, b -> (b & 0xFF) < 0x20 || b == '"' || b == '\\'));
        }
    }

    @Test
    void readsAndWritesTheFirstByteInTheLowestLane() {
        byte[] bytes = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        assertThat(ByteLanes.read(bytes, 1)).isEqualTo(0x0908070605040302L);
        byte[] out = new byte[10];
        ByteLanes.write(out, 2, 0x0807060504030201L);
        assertThat(out).containsExactly(0, 0, 1, 2, 3, 4, 5, 6, 7, 8);
    }

    private static int lowest(long flags) {
        return flags == 0 ? -1 : Long.numberOfTrailingZeros(flags) >>> 3;
    }

    private interface BytePredicate {
        boolean test(byte b);
    }

    private static int first(byte[] bytes, BytePredicate wanted) {
        for (int i = 0; i < bytes.length; i++) {
            if (wanted.test(bytes[i])) {
                return i;
            }
        }
        return -1;
    }
}
