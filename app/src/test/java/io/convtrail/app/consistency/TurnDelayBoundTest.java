package io.convtrail.app.consistency;

import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.app.ScriptedConversation;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import javax.sql.DataSource;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code convtrail.read-side.max-delay}: a new turn waits while the audit projection holds an event
 * uncommitted longer than the bound, however few events it is behind. The event bound is set out of
 * reach (100,000), so only the delay can hold the turn; the audit is held by a PostgreSQL trigger
 * ({@link HeldAuditProjection}) behind a turn of three records.
 */
@ConvtrailIntegrationTest
@TestPropertySource(properties = {"convtrail.read-side.max-lag=100000", "convtrail.read-side.max-delay=200ms",
        "convtrail.read-side.max-wait=10s"})
class TurnDelayBoundTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    CommandGateway commands;

    @Autowired
    MeterRegistry meters;

    @Test
    void aTurnWaitsWhileTheAuditHoldsAnEventLongerThanTheDelayBoundThoughFewEventsBehind() throws Exception {
        long waitedBefore = gate().waitedTurns();
        CompletableFuture<ResponseEntity<String>> held;
        try (HeldAuditProjection hold = new HeldAuditProjection(jdbc, dataSource)) {
            ScriptedConversation behind = HeldAuditProjection.recordTurnOf(commands, 3);
            // the node first reads the lag at this turn: the held records are new to it, so it goes in
            assertThat(gate().say(UUID.randomUUID()).getStatusCode().value()).isEqualTo(200);
            assertThat(hold.auditRows(behind.id())).as("the audit is held (the test's premise)").isZero();
            TimeUnit.MILLISECONDS.sleep(300);

            held = CompletableFuture.supplyAsync(() -> gate().say(UUID.randomUUID()));
            TimeUnit.MILLISECONDS.sleep(1000);
            assertThat(gate().delayRead()).as("the oldest held event, as the node read it").isGreaterThan(200);
            assertThat(gate().lagRead()).as("few events behind: the event bound alone would let turns in").isLessThan(1000);
            assertThat(held).as("the turn is held back while the audit holds an event over 200 ms").isNotDone();
        }
        assertThat(held.get(30, TimeUnit.SECONDS).getStatusCode().value()).isEqualTo(200);
        assertThat(gate().waitedTurns()).isEqualTo(waitedBefore + 1);
    }

    private BackpressureGate gate() {
        return new BackpressureGate(port, meters);
    }
}
