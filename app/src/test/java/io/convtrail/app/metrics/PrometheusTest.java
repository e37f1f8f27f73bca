package io.convtrail.app.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.app.LocalApi;
import io.convtrail.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * /actuator/prometheus as Prometheus scrapes it (text exposition, an admin's token): the series an
 * operator charts are there, and they move when a turn is answered and a call is refused. The console's
 * overview (/api/v1/overview) shows the same turn in the current minute.
 */
@ConvtrailIntegrationTest
class PrometheusTest {

    @LocalServerPort
    int port;

    @Test
    void theNamedSeriesArePresentAndMoveAfterATurn() {
        String before = scrape();
        for (String series : new String[]{"convtrail_turns_total{outcome=\"answered\"}",
                "convtrail_projection_lag_events{processor=\"conversation-index\"}",
                "convtrail_projection_lag_seconds{processor=\"audit\"}",
                "convtrail_projection_rebuild_progress{processor=\"trace\"}",
                "convtrail_stream_subscribers{transport=\"sse\"}",
                "convtrail_stream_subscribers{transport=\"stomp\"}"}) {
            assertThat(value(before, series)).as(series).isNotNull();
        }

        LocalApi.strict(port).post().uri("/api/v1/conversation/message").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("conversationId", UUID.randomUUID().toString(), "message", "What are your interest rates?"))
                .retrieve().toBodilessEntity();
        LocalApi.client(port, TestTokens.user("mallory")).get().uri("/actuator/prometheus").retrieve()
                .toBodilessEntity();

        String after = scrape();
        assertThat(value(after, "convtrail_turns_total{outcome=\"answered\"}"))
                .isGreaterThan(value(before, "convtrail_turns_total{outcome=\"answered\"}"));
        assertThat(sum(after, "convtrail_events_appended_total")).isGreaterThan(sum(before, "convtrail_events_appended_total"));
        assertThat(value(after, "convtrail_events_appended_total{type=\"TurnCompletedEvent\"}")).isGreaterThan(0);
        assertThat(value(after, "convtrail_turn_latency_seconds_count{outcome=\"answered\"}")).isGreaterThan(0);
        assertThat(after).contains("convtrail_turn_latency_seconds_bucket{outcome=\"answered\",le=\"");
        assertThat(after).as("Axon's own metrics").containsPattern("(?m)^eventProcessor_latency\\{")
                .containsPattern("(?m)^commandBus_successCounter_total\\{");
        assertThat(value(after, "convtrail_security_denied_total{channel=\"http\",reason=\"forbidden\"}"))
                .isGreaterThan(0);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                value(scrape(), "convtrail_projection_lag_events{processor=\"conversation-index\"}") == 0);

        JsonNode overview = LocalApi.strict(port).get().uri("/api/v1/overview").retrieve().body(JsonNode.class);
        JsonNode minute = overview.get("samples").get(overview.get("samples").size() - 1);
        assertThat(minute.get("turns").get("answered").asInt()).isGreaterThan(0);
        assertThat(minute.get("latencyP95Ms").asLong()).isGreaterThanOrEqualTo(minute.get("latencyP50Ms").asLong());
        assertThat(minute.get("projectionLagEvents").has("audit")).isTrue();
        assertThat(minute.get("openStreams").has("sse")).isTrue();

        String timed = "eventProcessor_successTimer_seconds_count{payloadType=\"TurnStartedEvent\",processorName=\"trace\"}";
        await().atMost(Duration.ofSeconds(10)).until(() -> value(scrape(), timed) != null);
        String handled = scrape();
        assertThat(value(handled, timed)).as("Axon's processor timers, tagged by processor and payload type")
                .isGreaterThan(0);
        assertThat(value(handled, "eventProcessor_successCounter_total{payloadType=\"TurnCompletedEvent\",processorName=\"audit\"}"))
                .isGreaterThan(0);
        assertThat(value(handled, "commandBus_successCounter_total{payloadType=\"StartTurnCommand\"}")).isGreaterThan(0);
        assertThat(handled).as("ignored events are counted, not timed")
                .doesNotContain("eventProcessor_ignoredTimer").contains("eventProcessor_ignoredCounter_total{");
    }

    private String scrape() {
        return LocalApi.strict(port).get().uri("/actuator/prometheus")
                .retrieve().body(String.class);
    }

    /** The value of one series (name and labels exactly as exposed, in label order), null when absent. */
    private static Double value(String exposition, String series) {
        String name = series.contains("{") ? series.substring(0, series.indexOf('{')) : series;
        String labels = series.contains("{") ? series.substring(series.indexOf('{') + 1, series.length() - 1) : "";
        Pattern line = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)");
        Matcher m = line.matcher(exposition);
        while (m.find()) {
            if (containsAll(m.group(1), labels)) {
                return Double.parseDouble(m.group(2));
            }
        }
        return null;
    }

    private static boolean containsAll(String labels, String wanted) {
        for (String label : wanted.split(",")) {
            if (!label.isEmpty() && !labels.contains(label)) {
                return false;
            }
        }
        return true;
    }

    private static double sum(String exposition, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{[^}]*\\} (\\S+)").matcher(exposition);
        double total = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return total;
    }
}
