package io.convtrail.app.tracing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.app.LocalApi;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A turn is one trace: the POST names it in {@code X-Trace-Id}, every event the turn recorded carries
 * it in its metadata ({@code traceparent}), the projections handle those events in spans of the same
 * trace, and the log lines written while answering carry it.
 */
@ConvtrailIntegrationTest
@AutoConfigureObservability(metrics = false) // Boot's tests swap in a no-op tracer unless asked
@Import(TurnTraceTest.CollectedSpans.class)
@ExtendWith(OutputCaptureExtension.class)
class TurnTraceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    CollectedSpans spans;

    @Test
    void theTraceOfAPostReachesItsEventsAndTheirProjections() throws Exception {
        UUID conversation = UUID.randomUUID();

        ResponseEntity<String> answer = LocalApi.client(port).post().uri("/api/v1/conversation/message")
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"conversationId\":\"" + conversation + "\",\"message\":\"what is the APR?\"}")
                .retrieve().toEntity(String.class);

        assertThat(answer.getStatusCode().value()).isEqualTo(200);
        String traceId = answer.getHeaders().getFirst("X-Trace-Id");
        assertThat(traceId).matches("[0-9a-f]{32}");

        List<JsonNode> metadata = jdbc.sql("SELECT metadata FROM domainevententry WHERE aggregateidentifier = ? "
                        + "ORDER BY sequencenumber").param(conversation.toString())
                .query((row, n) -> new String(row.getBytes(1), StandardCharsets.UTF_8)).list().stream()
                .map(TurnTraceTest::parse).toList();
        assertThat(metadata).as("the turn's events").hasSizeGreaterThan(2)
                .allSatisfy(each -> assertThat(TurnTracing.traceIdOf(each.path("traceparent").asText()))
                        .as("traceparent of %s", each).isEqualTo(traceId))
                .allSatisfy(each -> assertThat(each.has("correlationId")).as("Axon's own correlation kept").isTrue());

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(spans.ofTrace(traceId))
                .extracting(SpanData::getName)
                .anySatisfy(name -> assertThat(name).containsIgnoringCase("post"))
                .anySatisfy(name -> assertThat(name).isEqualTo("project TurnStartedEvent"))
                .anySatisfy(name -> assertThat(name).isEqualTo("project TurnCompletedEvent")));
        // a turn's records get no span: their handlers only queue rows (once the turn's end is projected, its
        // records before it were handled too, by every projection that handles them)
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(spans.ofTrace(traceId))
                .extracting(SpanData::getName)
                .filteredOn(name -> name.equals("project TurnCompletedEvent")).hasSize(3));
        assertThat(spans.ofTrace(traceId)).extracting(SpanData::getName)
                .noneSatisfy(name -> assertThat(name).isIn("project StageRecordedEvent", "project VerboseRecordedEvent"));
    }

    /**
     * The request is observed once: Spring Security adds no span of its own to the turn's trace (its
     * request, authentication and authorization observations are off; docs/performance.md, branch turn2).
     */
    @Test
    void securityAddsNoSpansToTheTurnsTrace() {
        ResponseEntity<String> answer = LocalApi.client(port).post().uri("/api/v1/conversation/message")
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"message\":\"what is the APR?\"}")
                .retrieve().toEntity(String.class);

        assertThat(answer.getStatusCode().value()).isEqualTo(200);
        String traceId = answer.getHeaders().getFirst("X-Trace-Id");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(spans.ofTrace(traceId))
                .extracting(SpanData::getName)
                .anySatisfy(name -> assertThat(name).containsIgnoringCase("post"))
                .anySatisfy(name -> assertThat(name).isEqualTo("project TurnCompletedEvent")));
        assertThat(spans.ofTrace(traceId)).extracting(SpanData::getName)
                .noneSatisfy(name -> assertThat(name).containsPattern("(?i)authenticat|authoriz|security"));
    }

    @Test
    void aLogLineWrittenWhileAnsweringCarriesTheTraceId(CapturedOutput output) throws InterruptedException {
        Thread.sleep(1_100); // the refusal log's rate budget (see HostileInputTest)
        ResponseEntity<String> answer = LocalApi.client(port).post().uri("/api/v1/conversation/feedback")
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"conversationId\":\"" + UUID.randomUUID() + "\",\"feedbackType\":\"THUMBS_UP\"}")
                .retrieve().toEntity(String.class);

        assertThat(answer.getStatusCode().value()).isEqualTo(404);
        String traceId = answer.getHeaders().getFirst("X-Trace-Id");
        assertThat(traceId).matches("[0-9a-f]{32}");
        assertThat(output.getOut().lines().filter(line -> line.contains("Refused POST /api/v1/conversation/feedback")))
                .anySatisfy(line -> assertThat(line).contains(traceId));
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Every span the service ends, kept in memory (the exporters Boot wires in beside OTLP's). */
    @TestConfiguration
    static class CollectedSpans implements SpanExporter {

        private final List<SpanData> ended = new CopyOnWriteArrayList<>();

        List<SpanData> ofTrace(String traceId) {
            return ended.stream().filter(span -> span.getTraceId().equals(traceId)).toList();
        }

        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            ended.addAll(spans);
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
