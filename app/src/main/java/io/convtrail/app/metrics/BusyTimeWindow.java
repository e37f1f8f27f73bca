package io.convtrail.app.metrics;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Time spent handling messages over a sliding window, as a share of the window: Axon's "capacity"
 * gauge. Axon keeps every measurement of the window (10 minutes: millions of entries in a skip list
 * under load); this keeps one sum per slot of a sixtieth of the window, so the window slides by slots.
 * Adding is a few atomic operations; a slot's sum added at the instant it is reused may be dropped,
 * which a gauge of a share of ten minutes does not show.
 */
final class BusyTimeWindow {

    private static final int SLOTS = 60;

    private final long slotNanos;
    private final long windowNanos;
    private final AtomicLongArray slotEpochs = new AtomicLongArray(SLOTS);
    private final LongAdder[] slotSums = new LongAdder[SLOTS];

    BusyTimeWindow(Duration window) {
        this.windowNanos = window.toNanos();
        this.slotNanos = windowNanos / SLOTS;
        for (int i = 0; i < SLOTS; i++) {
            slotSums[i] = new LongAdder();
            slotEpochs.set(i, Long.MIN_VALUE);
        }
    }

    /** Records {@code nanos} of handling that ended at the monotonic time {@code now} (nanoseconds). */
    void add(long now, long nanos) {
        long epoch = Math.floorDiv(now, slotNanos);
        int slot = (int) Math.floorMod(epoch, SLOTS);
        long seen = slotEpochs.get(slot);
        if (seen != epoch && slotEpochs.compareAndSet(slot, seen, epoch)) {
            slotSums[slot].reset();
        }
        slotSums[slot].add(nanos);
    }

    /** The share of the window up to {@code now} spent handling, 0 to 1 (more with concurrent handlers). */
    double share(long now) {
        long current = Math.floorDiv(now, slotNanos);
        long busy = 0;
        for (int i = 0; i < SLOTS; i++) {
            long epoch = slotEpochs.get(i);
            if (epoch > current - SLOTS && epoch <= current) {
                busy += slotSums[i].sum();
            }
        }
        return (double) busy / windowNanos;
    }
}
