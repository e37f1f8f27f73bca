package io.convtrail.app.fault;

import io.convtrail.app.fault.FaultClient.Answer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL stopped and started again under a load of turns and a live stream, against the built jar
 * on a PostgreSQL this test owns (its own data directory and port, never the system's): turns answer
 * 200 or 503 problem+json within a bounded time, never 500 and never a hang; health goes DOWN and back
 * UP; afterwards the projections and the stream resume, and no answered turn is lost or doubled.
 */
class OutageFaultIT {

    private static final Path HOME = Path.of("target", "fault", "outage-" + UUID.randomUUID().toString().substring(0, 8));
    private static final Duration OUTAGE = Duration.ofSeconds(8);
    /** hikari connection-timeout (3 s) per database access, plus a loaded machine's slack */
    private static final Duration LONGEST_ANSWER = Duration.ofSeconds(10);

    @Test
    void turnsAnswer503DuringTheOutageAndNothingIsLostOrDoubled() throws Exception {
        Path dataDir = HOME.resolve("pg").toAbsolutePath();
        int pgPort = ServiceProcess.freePort();
        EmbeddedPostgres postgres = startPostgres(dataDir, pgPort);
        ServiceProcess service = null;
        LoanDrivers drivers = null;
        try {
            service = ServiceProcess.start(HOME.resolve("service.log"), ServiceProcess.freePort(),
                    "--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres",
                    "--spring.datasource.username=postgres", "--spring.datasource.password=postgres",
                    "--convtrail.demo-tool.delay=1s"); // a tool turn spans the outage now and then
            FaultClient client = new FaultClient(service.baseUrl());
            ServiceProcess running = service;
            UUID watched = UUID.randomUUID();
            List<Answer> watchedAnswers = new CopyOnWriteArrayList<>();
            try (ResumingSseClient stream = new ResumingSseClient(running::baseUrl, watched)) {
                Thread.sleep(500); // the stream is open before the conversation's first turn
                drivers = new LoanDrivers(client, 3);
                drivers.start();
                Thread chatter = chatter(client, watched, watchedAnswers);
                Thread.sleep(3_000);

                postgres.close();
                List<Integer> healthDuringOutage = new CopyOnWriteArrayList<>();
                long outageEnds = System.nanoTime() + OUTAGE.toNanos();
                while (System.nanoTime() < outageEnds) {
                    healthDuringOutage.add(service.healthStatus());
                    Thread.sleep(500);
                }
                postgres = startPostgres(dataDir, pgPort);
                awaitHealth(service, 200, Duration.ofSeconds(60));
                Thread.sleep(2_000);
                drivers.stop();
                chatter.interrupt();
                chatter.join(30_000);
                drivers.finishPending();

                List<Answer> all = new ArrayList<>(drivers.answers());
                all.addAll(watchedAnswers);
                assertThat(all).extracting(Answer::status).as("turns answer or refuse, never fail").containsOnly(200, 503);
                assertThat(all).filteredOn(a -> a.status() == 503).as("503s during the outage").isNotEmpty()
                        .allMatch(Answer::isProblem, "problem+json");
                assertThat(all).extracting(Answer::took).allMatch(took -> took.compareTo(LONGEST_ANSWER) < 0,
                        "answered within " + LONGEST_ANSWER);
                assertThat(healthDuringOutage).as("health while PostgreSQL is down").contains(503);

                client.awaitProjectionsCaughtUp(Duration.ofSeconds(90));
                int abandoned = drivers.assertRecordComplete();
                long head = client.verify(watched).get("headSequence").asLong();
                awaitDelivered(stream, head);
                assertThat(stream.delivered()).as("the live stream: every event once, in order, across the outage")
                        .containsExactlyElementsOf(LongStream.rangeClosed(1, head).boxed().toList());
                assertThat(client.verify(watched).get("intact").asBoolean()).isTrue();
                System.out.printf("OutageFaultIT: %s outage, %d turns answered 200, %d answered 503 (longest %d ms),"
                                + " %d turns closed as abandoned, health %s, stream %d events over %d connections%n",
                        OUTAGE, all.stream().filter(a -> a.status() == 200).count(),
                        all.stream().filter(a -> a.status() == 503).count(),
                        all.stream().mapToLong(a -> a.took().toMillis()).max().orElse(0), abandoned,
                        healthDuringOutage, head, stream.streamsEnded() + 1);
            }
        } finally {
            if (drivers != null) {
                drivers.stop();
            }
            if (service != null) {
                service.close();
            }
            postgres.close();
        }
    }

    /** Turns on one conversation, one after the other, for the stream to follow. */
    private static Thread chatter(FaultClient client, UUID conversation, List<Answer> answers) {
        Thread thread = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    answers.add(client.turn(conversation, "What are your interest rates?"));
                    Thread.sleep(200);
                }
            } catch (InterruptedException stop) {
                Thread.currentThread().interrupt();
            }
        }, "chatter");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Never a clean data directory: the library deletes such a directory when it stops the server. */
    private static EmbeddedPostgres startPostgres(Path dataDir, int port) throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(port)
                .setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on").start();
    }

    private static void awaitHealth(ServiceProcess service, int status, Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (service.healthStatus() != status) {
            assertThat(System.nanoTime()).as("health %d within %s", status, atMost).isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    private static void awaitDelivered(ResumingSseClient stream, long head) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (stream.delivered().isEmpty() || stream.delivered().get(stream.delivered().size() - 1) < head) {
            if (System.nanoTime() > deadline) {
                return; // the assertion that follows shows what is missing
            }
            Thread.sleep(100);
        }
    }

}
