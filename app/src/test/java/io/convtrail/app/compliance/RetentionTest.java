package io.convtrail.app.compliance;

import com.fasterxml.jackson.databind.JsonNode;
import io.convtrail.app.LocalApi;
import io.convtrail.app.privacy.RetentionJob;
import io.convtrail.testsupport.PostgresTestConfiguration;
import io.convtrail.testsupport.TestTokens;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Retention with a short {@code erase-after}: a run erases exactly the conversations whose last turn is
 * older, like DELETE with reason {@code retention}; a second run changes nothing; while another node
 * holds the retention lock a run does nothing; every run is counted and logged. (The schedule calls the same
 * {@code runOnce}; its interval is set long here so that only the test runs it.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        TestTokens.SECRET_PROPERTY, "convtrail.request.per-client-rate=1000000",
        "convtrail.request.per-client-burst=1000000", "convtrail.retention.erase-after=PT3S",
        "convtrail.retention.interval=PT1H"})
@Import(PostgresTestConfiguration.class)
@ExtendWith(OutputCaptureExtension.class)
class RetentionTest {

    @LocalServerPort
    int port;

    @Autowired
    RetentionJob retention;

    @Autowired
    DataSource dataSource;

    @Autowired
    MeterRegistry meters;

    @Test
    void conversationsWhoseLastTurnIsOlderAreErasedOnceAndTheRestKept(CapturedOutput output) throws Exception {
        UUID old1 = Exports.converse(port, TestTokens.user("old-1"), "What are your interest rates?");
        UUID old2 = Exports.converse(port, TestTokens.user("old-2"), "What are your interest rates?");
        Thread.sleep(3_200);
        UUID active = Exports.converse(port, TestTokens.user("active"), "What are your interest rates?");

        RetentionJob.Run run = retention.runOnce();
        RetentionJob.Run second = retention.runOnce();
        assertThat(run.locked()).isTrue();
        assertThat(run.erased()).isEqualTo(2);
        assertThat(second.erased()).as("a second run").isZero();
        assertThat(meters.counter("convtrail.retention.erased").count()).isEqualTo(2.0);
        assertThat(output.getAll()).contains("Retention run: erased 2 conversation(s)");
        for (UUID erased : new UUID[]{old1, old2}) {
            JsonNode last = lastRecord(erased);
            assertThat(last.get("stage").asText()).isEqualTo("CONVERSATION_ERASED");
            JsonNode payload = new com.fasterxml.jackson.databind.ObjectMapper().readTree(last.get("payloadJson").asText());
            assertThat(payload.get("reason").asText()).isEqualTo(RetentionJob.REASON);
            assertThat(payload.get("erasedBy").asText()).isEqualTo(RetentionJob.ERASED_BY);
        }
        assertThat(lastRecord(active).get("stage").asText()).isNotEqualTo("CONVERSATION_ERASED");

        try (Connection otherNode = dataSource.getConnection(); Statement lock = otherNode.createStatement()) {
            lock.execute("SELECT pg_advisory_lock(" + 0x6374726574616e6eL + ")");
            Thread.sleep(3_500); // active is old enough now, but another node holds the lock
            assertThat(retention.runOnce()).extracting(RetentionJob.Run::locked, RetentionJob.Run::erased)
                    .containsExactly(false, 0);
            assertThat(lastRecord(active).get("stage").asText()).isNotEqualTo("CONVERSATION_ERASED");
            lock.execute("SELECT pg_advisory_unlock(" + 0x6374726574616e6eL + ")");
        }
        assertThat(retention.runOnce().erased()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> lastRecord(active).get("stage").asText().equals("CONVERSATION_ERASED"));
        assertThat(new JdbcTemplate(dataSource).queryForObject(
                "SELECT count(*) FROM conversation_key WHERE erased_at IS NOT NULL", Long.class)).isEqualTo(3);
    }

    private JsonNode lastRecord(UUID id) {
        JsonNode audit = LocalApi.strict(port).get().uri("/api/v1/conversation/audit/{id}", id).retrieve()
                .body(JsonNode.class);
        return audit.get(audit.size() - 1);
    }
}
