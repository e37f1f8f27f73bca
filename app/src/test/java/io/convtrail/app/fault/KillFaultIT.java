package io.convtrail.app.fault;

import io.convtrail.app.fault.FaultClient.Answer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kill -9} of the built jar under a load of turns, restarted at once on the same embedded data
 * directory, three times in a row: every restart starts (the PostgreSQL the killed service left running
 * is taken over), every turn answered 200 is complete in the event store and the read models, every
 * turn cut by a kill is closed by the conversation's next turn at once, and every chain verifies.
 */
@ResourceLock(ServiceProcess.MANY_PROCESSES)
@Order(2) // the fault suite's longest first (see the failsafe configuration)
class KillFaultIT {

    private static final Path HOME = Path.of("target", "fault", "kill-" + UUID.randomUUID().toString().substring(0, 8));
    private static final int KILLS = 3;
    /** turns answered by each run before it is killed, so every kill lands in the middle of a load */
    private static final int TURNS_PER_ROUND = 12;

    @Test
    void killedThreeTimesUnderLoadLosesNoAnsweredTurn() throws Exception {
        Path dataDir = HOME.resolve("pg").toAbsolutePath();
        int port = ServiceProcess.freePort();
        String[] args = {"--convtrail.embedded-postgres.data-dir=" + dataDir, "--convtrail.demo-tool.delay=200ms"};
        ServiceProcess service = ServiceProcess.start(HOME.resolve("service-0.log"), port, args);
        FaultClient client = new FaultClient(service.baseUrl());
        LoanDrivers drivers = new LoanDrivers(client, 4);
        try {
            drivers.start();
            for (int kill = 1; kill <= KILLS; kill++) {
                awaitAnswered(drivers, drivers.answeredTurns() + TURNS_PER_ROUND, kill);
                service.kill();
                // restart at once; the drivers keep sending (connection refused until it is up)
                service = ServiceProcess.start(HOME.resolve("service-" + kill + ".log"), port, args);
                assertThat(service.logLines()).noneMatch(line -> line.contains("could not lock"));
            }
            awaitAnswered(drivers, drivers.answeredTurns() + TURNS_PER_ROUND, KILLS + 1);
            drivers.stop();
            drivers.finishPending();

            assertThat(drivers.answers()).extracting(Answer::status).as("only answers or refused connections")
                    .containsOnly(200, -1);
            client.awaitProjectionsCaughtUp(Duration.ofSeconds(60));
            int abandoned = drivers.assertRecordComplete();
            System.out.printf("KillFaultIT: %d kills, %d turns answered 200, %d requests refused or cut, %d turns closed as"
                            + " abandoned by the next turn%n", KILLS, drivers.answeredTurns(),
                    drivers.answers().stream().filter(a -> a.status() == -1).count(), abandoned);
            assertThat(service.logLines()).as("the last run's log").noneMatch(line -> line.contains(" ERROR "));
        } finally {
            drivers.stop();
            service.close();
            ServiceProcess.stopLeftoverPostmaster(dataDir);
        }
    }

    private static void awaitAnswered(LoanDrivers drivers, long turns, int round) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (drivers.answeredTurns() < turns) {
            assertThat(System.nanoTime()).as("%d turns answered in round %d", turns, round).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
