package io.convtrail.app.consistency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.app.ScriptedConversation;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import javax.sql.DataSource;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A new turn does not start while the read side is more than {@code convtrail.read-side.max-lag}
 * events behind the event store: it waits until the audit projection has caught up and then runs,
 * or, held back for the whole {@code max-wait}, is refused with 503 problem+json and Retry-After, with
 * nothing recorded. The audit projection is held back by a PostgreSQL trigger
 * ({@link HeldAuditProjection}) behind a turn of 60 records written through the aggregate. The bound
 * is lowered to 20 events, the in-flight window to 200 ms (the held records are older than that when
 * the turn comes) and the wait to 2 s (a context of their own): recording the default bound's
 * 500 events and waiting the default 5 s would take most of the time Axon lets a held segment keep
 * its claim (10 s), and seconds of the suite.
 */
@ConvtrailIntegrationTest
@TestPropertySource(properties = {"convtrail.read-side.max-lag=20", "convtrail.read-side.max-wait=2s",
        "convtrail.read-side.in-flight=200ms"})
class TurnBackpressureTest {

    private static final int BEYOND_THE_BOUND = 60;

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

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aTurnWaitsWhileTheAuditIsTooFarBehindAndRunsOnceItHasCaughtUp() throws Exception {
        long waitedBefore = gate().waitedTurns();
        CompletableFuture<ResponseEntity<String>> answer;
        try (HeldAuditProjection held = new HeldAuditProjection(jdbc, dataSource)) {
            ScriptedConversation behind = HeldAuditProjection.recordTurnOf(commands, BEYOND_THE_BOUND);
            // the node admits on a reading up to 250 ms old: let it take one after these records
            TimeUnit.MILLISECONDS.sleep(500);
            assertThat(held.auditRows(behind.id())).as("the audit is held (the test's premise)").isZero();

            answer = CompletableFuture.supplyAsync(() -> gate().say(UUID.randomUUID()));
            // the first turn of a fresh context can take seconds to reach the gate on a loaded machine (its
            // request path is cold): until it does, no reading exists and the hold must not end yet
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (Double.isNaN(gate().lagRead()) && !answer.isDone() && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
            assertThat(gate().lagRead()).as("the turn reached the gate and the lag was read").isGreaterThan(20);

            TimeUnit.MILLISECONDS.sleep(1000);
            assertThat(answer).as("the turn is held back while the audit is 60 events behind").isNotDone();
        }
        assertThat(answer.get(30, TimeUnit.SECONDS).getStatusCode().value()).isEqualTo(200);
        assertThat(gate().waitedTurns()).isEqualTo(waitedBefore + 1);
    }

    @Test
    void aTurnHeldBackForTheWholeWaitIsRefusedWith503AndNothingIsRecorded() throws Exception {
        UUID id = UUID.randomUUID();
        ResponseEntity<String> refused;
        long started;
        try (HeldAuditProjection held = new HeldAuditProjection(jdbc, dataSource)) {
            ScriptedConversation behind = HeldAuditProjection.recordTurnOf(commands, BEYOND_THE_BOUND);
            // past the in-flight window (200 ms), so the held records count against the bound
            TimeUnit.MILLISECONDS.sleep(500);
            assertThat(held.auditRows(behind.id())).as("the audit is held (the test's premise)").isZero();
            started = System.nanoTime();
            refused = gate().say(id);
        }

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).as("waited max-wait first")
                .isGreaterThanOrEqualTo(2000);
        assertThat(refused.getStatusCode().value()).isEqualTo(503);
        assertThat(refused.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(refused.getHeaders().getFirst("Retry-After")).isEqualTo("1");
        JsonNode problem = json.readTree(refused.getBody());
        assertThat(problem.get("type").asText()).isEqualTo("urn:convtrail:problem:read-side-behind");
        assertThat(problem.get("lagEvents").asLong()).isGreaterThan(20);
        assertThat(jdbc.sql("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ?")
                .param(id.toString()).query(Long.class).single()).as("nothing of the turn stored").isZero();
    }

    private BackpressureGate gate() {
        return new BackpressureGate(port, meters);
    }
}
