package io.convtrail.bench;

import java.util.Locale;
import java.util.function.Supplier;

/** Prints what a running step is doing every two seconds, so a long run never looks hung. */
final class Progress implements AutoCloseable {

    private static final long START = System.nanoTime();
    private final Thread ticker;

    private Progress(String label, Supplier<String> status) {
        ticker = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(2_000);
                    say(label + ": " + status.get());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bench-progress");
        ticker.setDaemon(true);
        ticker.start();
    }

    static Progress every2s(String label, Supplier<String> status) {
        return new Progress(label, status);
    }

    static void say(String line) {
        System.err.printf(Locale.ROOT, "[%7.1fs] %s%n", (System.nanoTime() - START) / 1e9, line);
    }

    @Override
    public void close() {
        ticker.interrupt();
    }
}
