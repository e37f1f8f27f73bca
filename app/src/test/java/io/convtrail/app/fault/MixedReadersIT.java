package io.convtrail.app.fault;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node running the projections with the direct reader ({@code convtrail.read-side.reader=direct}) and
 * one running them with Axon's tracking processor ({@code axon}) on one database: they share each
 * projection's segments through the token table, one each, and while turns run every event reaches the
 * audit and the trace once: the chain checks out against the events, the trace holds the raw audit's
 * stages, no audit row stands twice for one event, and neither node's batches failed on the other's rows.
 */
@ResourceLock(ServiceProcess.MANY_PROCESSES)
class MixedReadersIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** convtrail.node.segment-balance.interval (5 s), twice, + token-claim-interval, with slack */
    private static final Duration BALANCED = Duration.ofSeconds(40);

    private static NodeCluster cluster;
    private static ServiceProcess direct;
    private static ServiceProcess axon;

    @BeforeAll
    static void startNodes() throws Exception {
        cluster = NodeCluster.open("mixedreaders");
        direct = cluster.start("node-direct", "--convtrail.node.roles=command,query",
                "--convtrail.read-side.reader=direct", "--convtrail.demo-tool.delay=100ms");
        axon = cluster.start("node-axon", "--convtrail.node.roles=query", "--convtrail.read-side.reader=axon");
    }

    @AfterAll
    static void stopNodes() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aDirectAndAnAxonReaderShareEachProjectionAndProjectEveryEventOnce() throws Exception {
        FaultClient onAxon = new FaultClient(axon.baseUrl());
        long deadline = System.nanoTime() + BALANCED.toNanos();
        Map<String, Map<String, Integer>> shares = onAxon.segmentShares();
        while (!oneEach(shares)) {
            assertThat(System.nanoTime()).as("segments shared by both nodes: %s", shares).isLessThan(deadline);
            Thread.sleep(500);
            shares = onAxon.segmentShares();
        }

        LoanDrivers drivers = new LoanDrivers(new FaultClient(direct.baseUrl()), 4);
        drivers.start();
        Thread.sleep(10_000);
        drivers.stop();
        for (ServiceProcess node : List.of(direct, axon)) {
            new FaultClient(node.baseUrl()).awaitProjectionsCaughtUp(WAIT);
        }

        assertThat(drivers.answeredTurns()).as("turns answered during the load").isGreaterThan(4);
        drivers.assertRecordComplete();
        assertThat(oneEach(onAxon.segmentShares())).as("the segments stayed shared").isTrue();
        assertThat(duplicateAuditRows()).as("audit rows standing twice for one event").isZero();
        for (ServiceProcess node : List.of(direct, axon)) {
            assertThat(node.logLines()).as("a failed projection batch on %s", node.baseUrl())
                    .noneMatch(line -> line.contains("batch failed") || line.contains("Starting retry mode"));
        }
        System.out.printf("MixedReadersIT: %d turns, audit and trace shared by a direct and an Axon reader%n",
                drivers.answeredTurns());
    }

    /** Audit and trace (2 segments each): one on each node. */
    private static boolean oneEach(Map<String, Map<String, Integer>> shares) {
        Map<String, Integer> oneEach = Map.of("node-direct", 1, "node-axon", 1);
        return oneEach.equals(shares.get("audit")) && oneEach.equals(shares.get("trace"));
    }

    /** Audit rows whose event (conversation and sequence number) has another row too. */
    private static long duplicateAuditRows() throws Exception {
        try (Connection connection = cluster.connect(); Statement query = connection.createStatement();
             ResultSet rows = query.executeQuery(
                     "SELECT count(*) - count(DISTINCT (conversation_id, seq)) FROM audit_event")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
