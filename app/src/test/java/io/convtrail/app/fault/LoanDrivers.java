package io.convtrail.app.fault;

import com.fasterxml.jackson.databind.JsonNode;
import io.convtrail.app.fault.FaultClient.Answer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that run the demo loan application over and over, each on its own conversations, one turn
 * at a time. A turn that got no 200 is sent again (the next turn of that conversation), so a turn cut
 * by a fault is followed by another. Remembers every answer, and per conversation the messages that
 * were answered 200, to check the record against afterwards.
 */
final class LoanDrivers {

    private static final List<String> SCRIPT = List.of("I want to apply for a loan", "10000", "36",
            "ann@example.com", "yes");

    private final FaultClient client;
    private final int count;
    private final List<Answer> answers = new CopyOnWriteArrayList<>();
    private final Map<UUID, List<String>> answered = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Driver[] drivers;
    private volatile boolean running;

    LoanDrivers(FaultClient client, int count) {
        this.client = client;
        this.count = count;
        this.drivers = new Driver[count];
        for (int i = 0; i < count; i++) {
            drivers[i] = new Driver();
        }
    }

    /** The conversation each client starts with, known before it starts, so that it can be watched from the first turn. */
    List<UUID> firstConversations() {
        return Arrays.stream(drivers).map(driver -> driver.first).toList();
    }

    void start() {
        running = true;
        threads.clear();
        for (int i = 0; i < count; i++) {
            Thread thread = new Thread(drivers[i]::drive, "loan-driver-" + i);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
    }

    /** Stops after each client's current turn. */
    void stop() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join(90_000);
        }
    }

    /** Sends each client's unanswered turn once more, so no conversation is left with a cut turn. */
    void finishPending() throws InterruptedException {
        for (Driver driver : drivers) {
            if (driver.pending) {
                Answer answer = driver.send();
                assertThat(answer.status()).as("the turn after the fault: %s", answer.body()).isEqualTo(200);
            }
        }
    }

    List<Answer> answers() {
        return List.copyOf(answers);
    }

    long answeredTurns() {
        return answered.values().stream().mapToLong(List::size).sum();
    }

    /**
     * Every turn answered 200 is a completed turn of its conversation, in order; no turn is left
     * running; the trace holds the raw audit's stages; the conversation's chain is intact and its
     * audit rows match its events (what {@code /verify} checks). Answers how
     * many turns were closed as abandoned.
     */
    int assertRecordComplete() throws IOException, InterruptedException {
        int abandoned = 0;
        for (Map.Entry<UUID, List<String>> conversation : answered.entrySet()) {
            JsonNode trace = client.trace(conversation.getKey());
            assertThat(trace.get("stages").size()).as("trace and raw audit of %s hold the same stages",
                    conversation.getKey()).isEqualTo(client.auditStages(conversation.getKey()).size());
            JsonNode turns = trace.get("turns");
            List<String> completed = new ArrayList<>();
            for (JsonNode turn : turns) {
                assertThat(turn.get("status").asText()).as("turn %s of %s", turn.get("index"), conversation.getKey())
                        .isIn("COMPLETED", "ABANDONED");
                if (turn.get("status").asText().equals("COMPLETED")) {
                    completed.add(turn.get("userText").asText());
                } else {
                    abandoned++;
                }
            }
            // a 503 whose commit reached the database before the connection dropped is a completed turn too
            assertThat(completed).as("completed turns of %s", conversation.getKey())
                    .containsSubsequence(conversation.getValue());
            JsonNode verification = client.verify(conversation.getKey());
            assertThat(verification.get("intact").asBoolean()).as("chain of %s: %s", conversation.getKey(), verification)
                    .isTrue();
        }
        return abandoned;
    }

    /** One client: one conversation at a time, the script's turns in order. */
    private final class Driver {

        UUID conversation;
        final UUID first = UUID.randomUUID();
        int step;

        Driver() {
            conversation = first;
        }
        boolean pending;

        void drive() {
            try {
                while (running) {
                    Answer answer = send();
                    if (answer.status() == -1) {
                        Thread.sleep(100); // the service is down: wait, then the same turn again
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        Answer send() throws InterruptedException {
            if (conversation == null) {
                conversation = UUID.randomUUID();
                step = 0;
            }
            String message = SCRIPT.get(step);
            Answer answer = client.turn(conversation, message);
            answers.add(answer);
            pending = answer.status() != 200;
            if (answer.status() == 200) {
                answered.computeIfAbsent(conversation, id -> new CopyOnWriteArrayList<>()).add(message);
                if (++step == SCRIPT.size()) {
                    conversation = null;
                }
            } else if (answer.status() != -1 && answer.status() != 503) {
                // anything else is a defect the test reports; do not hammer the service with it
                Thread.sleep(100);
            }
            return answer;
        }
    }
}
