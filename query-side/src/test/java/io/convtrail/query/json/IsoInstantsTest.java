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
    void nullStaysNull() {
        assertThat(IsoInstants.format(null)).isNull();
    }
}
