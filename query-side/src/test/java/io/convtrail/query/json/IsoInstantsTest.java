package io.convtrail.query.json;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The formatter writes what {@code Instant.toString()} writes, for every instant. */
class IsoInstantsTest {

    @Test
    void writesWhatInstantToStringWrites() {
        for (String text : new String[]{"2026-11-24T06:00:00Z", "2026-11-24T06:00:00.002Z", "2026-11-24T06:00:00.002100Z",
                "2026-11-24T06:00:00.000000001Z", "2024-02-29T23:59:59.999999999Z", "2000-03-01T00:00:00.120Z",
                "1969-12-31T23:59:59.999Z", "1000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z",
                "0999-12-31T23:59:59Z", "+10000-01-01T00:00:00Z", "1970-01-01T00:00:00Z"}) {
            Instant instant = Instant.parse(text);
            assertThat(IsoInstants.format(instant)).isEqualTo(instant.toString()).isEqualTo(text);
        }
    }

    @Test
    void agreesWithInstantToStringOnRandomInstantsOfEveryPrecision() {
        SplittableRandom random = new SplittableRandom(15);
        for (int i = 0; i < 200_000; i++) {
            long seconds = random.nextLong(-40_000_000_000L, 260_000_000_000L);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nanos);
            assertThat(IsoInstants.format(instant)).isEqualTo(instant.toString());
        }
    }

    @Test
    void agreesWithInstantToStringAcrossSecondsDaysAndYearsInOrder() {
        // instants in order, as a conversation's are; each step crosses seconds, days or years
        Instant instant = Instant.parse("1999-12-31T23:59:58Z");
        SplittableRandom random = new SplittableRandom(17);
        for (int i = 0; i < 200_000; i++) {
            instant = instant.plusNanos(random.nextLong(1, i % 100 == 0 ? 90_000_000_000_000L : 400_000_000L));
            assertThat(IsoInstants.format(instant)).isEqualTo(instant.toString());
        }
    }

    @Test
    void readsWhatInstantParseReadsForEveryTextItAccepts() {
        SplittableRandom random = new SplittableRandom(16);
        for (int i = 0; i < 200_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-30_610_224_000L, 253_402_300_800L),
                    i % 3 == 0 ? 0 : random.nextInt(1_000_000_000));
            String text = instant.toString();
            assertThat(IsoInstants.parse(text)).as(text).isEqualTo(instant);
            // a fraction of any length, as other writers send it
            if (text.contains(".")) {
                String shorter = text.substring(0, text.length() - 2) + "Z";
                assertThat(IsoInstants.parse(shorter)).as(shorter).isEqualTo(Instant.parse(shorter));
            }
        }
    }

    @Test
    void leavesEveryOtherFormToInstantParse() {
        for (String text : new String[]{"2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-31T00:00:00Z",
                "2026-11-24T24:00:00Z", "2026-11-24T23:60:00Z", "2026-11-24T23:59:60Z", "2026-11-24T06:00:00.Z",
                "2026-11-24T06:00:00.1234567890Z", "2026-11-24T06:00:00+01:00", "2026-11-24 06:00:00Z",
                "0999-12-31T23:59:59Z", "+10000-01-01T00:00:00Z", "2026-11-24T06:00Z", " 2026-11-24T06:00:00Z",
                "2026-1a-24T06:00:00Z", "2026-11-24T-6:00:00Z", "1700000000"}) {
            assertThat(IsoInstants.parse(text)).as(text).isNull();
        }
    }

    @Test
    void nullStaysNull() {
        assertThat(IsoInstants.format(null)).isNull();
    }
}
