package io.convtrail.app.fault;

import com.fasterxml.jackson.databind.JsonNode;
import io.convtrail.app.fault.FaultClient.Answer;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM while tool turns run, against the built jar on its embedded PostgreSQL: a turn that can
 * finish within the grace period completes, one that cannot is recorded abandoned and answered 503,
 * a new turn is refused with 503, the stop logs no error, and after an immediate restart both
 * conversations take their next turn at once.
 */
class SigtermFaultIT {

    private static final Path HOME = Path.of("target", "fault", "sigterm-" + UUID.randomUUID().toString().substring(0, 8));
    private static final Duration TOOL = Duration.ofSeconds(8);

    @Test
    void sigtermFinishesWhatCanFinishAndAbandonsTheRestInTheEventStore() throws Exception {
        Path dataDir = HOME.resolve("pg").toAbsolutePath();
        int port = ServiceProcess.freePort();
        UUID finishing = UUID.randomUUID();
        UUID cutOff = UUID.randomUUID();
        try (ServiceProcess first = ServiceProcess.start(HOME.resolve("service-1.log"), port,
                "--convtrail.embedded-postgres.data-dir=" + dataDir, "--convtrail.demo-tool.delay=" + TOOL.toMillis() + "ms",
                "--convtrail.turn.shutdown-grace=3s")) {
            FaultClient client = new FaultClient(first.baseUrl());
            collectDetails(client, finishing);
            collectDetails(client, cutOff);

            CompletableFuture<Answer> finishingTurn = toolTurn(client, finishing);
            awaitStage(client, finishing, "MCP_TOOL_CALL");
            Thread.sleep(TOOL.toMillis() - 1_500); // about 1.5 s of the tool left: inside the 3 s grace
            ResumingSseClient stream = new ResumingSseClient(first::baseUrl, cutOff);
            StompWatcher stomp = StompWatcher.subscribe(port, cutOff);
            CompletableFuture<Answer> cutOffTurn = toolTurn(client, cutOff);
            awaitStage(client, cutOff, "MCP_TOOL_CALL");  // nearly 8 s of the tool left: beyond the grace

            first.terminate();
            Thread.sleep(300);
            Answer refused = client.turn(UUID.randomUUID(), "What are your interest rates?");
            int exit = first.awaitExit(Duration.ofSeconds(30));

            assertThat(refused.status()).as("a new turn while stopping: %s", refused.body()).isEqualTo(503);
            assertThat(refused.isProblem()).isTrue();
            Answer finished = finishingTurn.get();
            assertThat(finished.status()).as("the turn inside the grace period: %s", finished.body()).isEqualTo(200);
            assertThat(finished.body().get("state").asText()).isEqualTo("CONFIRMING");
            Answer abandoned = cutOffTurn.get();
            assertThat(abandoned.status()).as("the turn beyond the grace period: %s", abandoned.body()).isEqualTo(503);
            assertThat(abandoned.isProblem()).isTrue();
            assertThat(abandoned.body().get("type").asText()).isEqualTo("urn:convtrail:problem:service-stopping");
            assertThat(exit).as("exit code after SIGTERM").isEqualTo(143);
            List<String> log = first.logLines();
            assertThat(log).as("no ERROR in the log").noneMatch(line -> line.contains(" ERROR "));
            assertThat(log.subList(indexOf(log, "SIGTERM received"), log.size()))
                    .as("no WARN while stopping").noneMatch(line -> line.contains(" WARN "));

            assertThat(stomp.stages()).as("STOMP: the abandoned turn's last record, then the session ends")
                    .endsWith("TURN_ABANDONED");
            assertThat(stomp.ended()).isTrue();
            stream.close();
            List<Long> delivered = stream.delivered();
            assertThat(stream.resumeFrames()).as("the stream's last frame re-states where to resume")
                    .contains("id:" + delivered.get(delivered.size() - 1) + "\nretry:2000");
        }

        // A turn that found the cut-off turn still open would wait for its runner to count as gone (the
        // liveness timeout, 30 s) within a busy wait raised past that: "at once" is then far below 30 s
        // however loaded the machine, once a first turn of another conversation has warmed the new process.
        try (ServiceProcess second = ServiceProcess.start(HOME.resolve("service-2.log"), port,
                "--convtrail.embedded-postgres.data-dir=" + dataDir, "--convtrail.demo-tool.delay=10ms",
                "--convtrail.turn.busy-wait=60s")) {
            FaultClient client = new FaultClient(second.baseUrl());
            assertThat(client.turn(UUID.randomUUID(), "What are your interest rates?").status()).isEqualTo(200);
            Answer next = client.turn(cutOff, "ann@example.com");
            assertThat(next.status()).as("the cut-off conversation at once after the restart: %s", next.body())
                    .isEqualTo(200);
            assertThat(next.took()).isLessThan(Duration.ofSeconds(15));
            assertThat(client.turn(finishing, "yes").status()).isEqualTo(200);
            client.awaitProjectionsCaughtUp(Duration.ofSeconds(30));

            List<String> cutStages = client.auditStages(cutOff);
            assertThat(cutStages).containsOnlyOnce("TURN_ABANDONED");
            JsonNode cutTurns = client.trace(cutOff).get("turns");
            assertThat(cutTurns.get(3).get("status").asText()).isEqualTo("ABANDONED");
            assertThat(cutTurns.get(4).get("status").asText()).isEqualTo("COMPLETED");
            assertThat(client.auditStages(finishing)).doesNotContain("TURN_ABANDONED");
            for (UUID conversation : List.of(finishing, cutOff)) {
                assertThat(client.verify(conversation).get("intact").asBoolean()).isTrue();
            }
        } finally {
            ServiceProcess.stopLeftoverPostmaster(dataDir);
        }
    }

    /** Three turns of the loan application, so the next one runs the credit rating tool. */
    private static void collectDetails(FaultClient client, UUID conversation) throws InterruptedException {
        for (String message : List.of("I want to apply for a loan", "10000", "36")) {
            assertThat(client.turn(conversation, message).status()).isEqualTo(200);
        }
    }

    private static CompletableFuture<Answer> toolTurn(FaultClient client, UUID conversation) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return client.turn(conversation, "ann@example.com");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Waits until the conversation's audit shows the stage (the tool call is flushed before the tool runs). */
    private static void awaitStage(FaultClient client, UUID conversation, String stage) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!client.auditStages(conversation).contains(stage)) {
            assertThat(System.nanoTime()).as("%s recorded in time", stage).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static int indexOf(List<String> log, String text) {
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i).contains(text)) {
                return i;
            }
        }
        throw new AssertionError("no line with '" + text + "' in the log");
    }
}
