package io.convtrail.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PercentilesTest {

    @Test
    void nearestRankOfAHundredSamples() {
        LongList samples = new LongList();
        for (long v = 100; v >= 1; v--) {
            samples.add(v * 1_000);
        }
        Percentiles p = Percentiles.of(samples);
        assertEquals(50_000, p.p50Micros());
        assertEquals(99_000, p.p99Micros());
        assertEquals(100_000, p.maxMicros());
        assertEquals(100, p.count());
    }

    @Test
    void medianOfEvenAndOddCounts() {
        assertEquals(2.5, Percentiles.median(new double[]{4, 1, 3, 2}));
        assertEquals(3, Percentiles.median(new double[]{5, 1, 3}));
    }

    @Test
    void auditIdIsReadFromTheEnvelopeAndNullIsAbsent() {
        assertEquals(12031, Receipts.auditId("{\"eventType\":\"AUDIT\",\"auditId\": 12031,\"stage\":\"X\"}"));
        assertEquals(-1, Receipts.auditId("{\"eventType\":\"VERBOSE\",\"auditId\":null}"));
    }
}
