package io.convtrail.bench;

import io.convtrail.testsupport.api.ConvtrailApi;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntFunction;

/**
 * Clients running turns over HTTP for a fixed time, each on its own conversations (so no turn
 * ever waits for another client's). A client moves to a new conversation after a number of
 * turns, or cycles over conversations it was given. Optionally paced to a total rate.
 */
final class TurnDriver {

    /** What a run did: per-turn latencies, turns completed in each second, failures by status. */
    record Run(LongList latencies, double[] turnsPerSecond, long turns, long failures, Map<Integer, Long> statuses,
               long windowNanos) {

        double medianTurnsPerSecond() {
            return Percentiles.median(turnsPerSecond);
        }
    }

    private final ConvtrailApi client;
    private final List<String> messages;
    private final boolean readAfterTurn;

    /** {@code readAfterTurn}: each turn is followed by a read of its conversation's audit, timed with it. */
    TurnDriver(ConvtrailApi client, List<String> messages, boolean readAfterTurn) {
        this.client = client;
        this.messages = messages;
        this.readAfterTurn = readAfterTurn;
    }

    /** {@code clients} clients, each on fresh conversations of {@code turnsPerConversation} turns. */
    Run fresh(int clients, int seconds, int turnsPerConversation, String label) throws InterruptedException {
        return run(clients, seconds, 0, label, c -> turns(new FreshConversations(turnsPerConversation)));
    }

    /** The HTTP baseline: the same clients doing a GET that does no work (e.g. /actuator/info). */
    Run gets(String path, int clients, int seconds, String label) throws InterruptedException {
        return run(clients, seconds, 0, label, c -> () -> client.getBytes(path).statusCode());
    }

    /** Clients cycling over the given conversations (client i takes every clients-th one), paced in total. */
    Run over(List<UUID> conversations, int clients, int seconds, int turnsPerSecond, String label)
            throws InterruptedException {
        int n = Math.min(clients, conversations.size());
        return run(n, seconds, turnsPerSecond, label, c -> {
            List<UUID> mine = new ArrayList<>();
            for (int i = c; i < conversations.size(); i += n) {
                mine.add(conversations.get(i));
            }
            return turns(new GivenConversations(mine));
        });
    }

    private Run run(int clients, int seconds, int turnsPerSecond, String label,
                    IntFunction<Call> calls) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        AtomicLongArray perSecond = new AtomicLongArray(seconds + 1);
        AtomicLong turns = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        Map<Integer, Long> statuses = new ConcurrentHashMap<>();
        List<LongList> latencies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long pacingNanos = turnsPerSecond > 0 ? clients * 1_000_000_000L / turnsPerSecond : 0;
        for (int c = 0; c < clients; c++) {
            LongList mine = new LongList();
            latencies.add(mine);
            Call call = calls.apply(c);
            Thread t = new Thread(() -> {
                long next = System.nanoTime();
                while (System.nanoTime() < end) {
                    if (pacingNanos > 0) {
                        next += pacingNanos;
                        long wait = next - System.nanoTime();
                        if (wait > 0) {
                            sleepNanos(wait);
                        }
                        if (System.nanoTime() >= end) {
                            break;
                        }
                    }
                    long t0 = System.nanoTime();
                    int status;
                    try {
                        status = call.call();
                    } catch (Exception e) {
                        status = -1;
                    }
                    long t1 = System.nanoTime();
                    statuses.merge(status, 1L, Long::sum);
                    if (status == 200) {
                        mine.add((t1 - t0) / 1_000);
                        turns.incrementAndGet();
                        int second = (int) ((t1 - start) / 1_000_000_000L);
                        if (second < seconds) {
                            perSecond.incrementAndGet(second);
                        }
                    } else {
                        failures.incrementAndGet();
                    }
                }
            }, "bench-client-" + c);
            threads.add(t);
        }
        try (Progress ignored = Progress.every2s(label, () -> turns.get() + " done, " + failures.get() + " failed")) {
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
        }
        long window = System.nanoTime() - start;
        LongList all = new LongList();
        latencies.forEach(all::addAll);
        double[] rates = new double[seconds];
        for (int i = 0; i < seconds; i++) {
            rates[i] = perSecond.get(i);
        }
        return new Run(all, rates, turns.get(), failures.get(), Map.copyOf(statuses), window);
    }

    private static void sleepNanos(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Call turns(Conversations conversations) {
        return () -> {
            UUID conversation = conversations.next();
            int status = client.turn(conversation, messages.get(conversations.turnIndex() % messages.size()));
            if (status != 200 || !readAfterTurn) {
                return status;
            }
            return client.getBytes("/api/v1/conversation/audit/" + conversation).statusCode();
        };
    }

    /** One request of one client; answers the HTTP status. */
    private interface Call {
        int call() throws Exception;
    }

    /** The conversations one client turns on, in order. */
    private interface Conversations {
        UUID next();

        int turnIndex();
    }

    private static final class FreshConversations implements Conversations {
        private final int turnsEach;
        private UUID current;
        private int turn;

        FreshConversations(int turnsEach) {
            this.turnsEach = turnsEach;
        }

        @Override
        public UUID next() {
            if (current == null || ++turn >= turnsEach) {
                current = UUID.randomUUID();
                turn = 0;
            }
            return current;
        }

        @Override
        public int turnIndex() {
            return turn;
        }
    }

    private static final class GivenConversations implements Conversations {
        private final List<UUID> conversations;
        private int index = -1;
        private int round;

        GivenConversations(List<UUID> conversations) {
            this.conversations = conversations;
        }

        @Override
        public UUID next() {
            if (++index == conversations.size()) {
                index = 0;
                round++;
            }
            return conversations.get(index);
        }

        @Override
        public int turnIndex() {
            return round;
        }
    }
}
