package io.convtrail.bench;

import java.util.Arrays;

/** A growable array of longs: millions of samples without boxing. Not thread-safe; one writer. */
final class LongList {

    private long[] values = new long[64];
    private int size;

    void add(long value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    long get(int index) {
        return values[index];
    }

    int size() {
        return size;
    }

    long[] array() {
        return values;
    }

    void addAll(LongList other) {
        for (int i = 0; i < other.size; i++) {
            add(other.values[i]);
        }
    }
}
