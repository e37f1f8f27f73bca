package io.convtrail.app.operations;

import io.convtrail.testsupport.store.EventStoreProbe;
import com.fasterxml.jackson.databind.JsonNode;
import io.convtrail.api.Stage;
import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.app.LocalApi;
import io.convtrail.app.ScriptedConversation;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClient;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The operator's rebuild: status against the event store's head, and a replay that restores lost rows. */
@ConvtrailIntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class ProjectionsEndpointTest {

    @LocalServerPort
    int port;

    @Autowired
    CommandGateway commands;

    @Autowired
    JdbcClient jdbc;

    RestClient http;

    @BeforeEach
    void client() {
        http = LocalApi.client(port);
    }

    @Test
    void statusShowsEachProjectionCaughtUpWithTheHead(@Autowired EventStoreProbe storeProbe) {
        ScriptedConversation c = new ScriptedConversation(commands).turn("hi")
                .stage(Stage.USER_INPUT, Map.of("text", "hi")).complete("GREETING", "IDLE");
        long head = storeProbe.head();

        JsonNode status = await().atMost(Duration.ofSeconds(20)).until(this::status,
                s -> s.at("/projections/audit/lag").asLong(-1) == 0 && s.at("/projections/trace/lag").asLong(-1) == 0);

        assertThat(status.get("head").asLong()).isGreaterThanOrEqualTo(head);
        for (String name : new String[]{"audit", "trace"}) {
            JsonNode projection = status.get("projections").get(name);
            assertThat(projection.get("running").asBoolean()).isTrue();
            assertThat(projection.get("position").asLong()).isEqualTo(status.get("head").asLong());
            assertThat(projection.get("segments")).hasSize(2);
        }
        assertThat(c.recorded()).isEqualTo(1);
    }

    @Test
    void rebuildReplaysTheEventStoreIntoEmptiedReadModels() {
        ScriptedConversation c = new ScriptedConversation(commands).turn("hi")
                .enter("AuditUserInputStep").stage(Stage.USER_INPUT, Map.of("text", "hi"))
                .exit("AuditUserInputStep", 1).complete("GREETING", "IDLE");
        String auditUri = "/api/v1/conversation/audit/" + c.id();
        String audit = await().atMost(Duration.ofSeconds(20)).until(() -> get(auditUri),
                body -> body.split("auditId").length - 1 == c.recorded());
        String trace = await().atMost(Duration.ofSeconds(20)).until(() -> get(auditUri + "/trace"),
                body -> body.contains("COMPLETED"));
        // rows lost behind the projections' back: only a replay brings them back
        jdbc.sql("DELETE FROM audit_event WHERE conversation_id = ?").param(c.id()).update();
        jdbc.sql("DELETE FROM trace_stage WHERE conversation_id = ?").param(c.id()).update();
        assertThat(get(auditUri)).isEqualTo("[]");

        ResponseEntity<JsonNode> rebuild = http.post().uri("/actuator/projections")
                .contentType(MediaType.APPLICATION_JSON).body("{}").retrieve().toEntity(JsonNode.class);

        assertThat(rebuild.getStatusCode().value()).isEqualTo(200);
        assertThat(rebuild.getBody().at("/projections/audit/lastRebuildStartedAt").isTextual()).isTrue();
        assertThat(rebuild.getBody().at("/projections/trace/lastRebuildStartedAt").isTextual()).isTrue();
        await().atMost(Duration.ofSeconds(60)).until(this::status, s -> caughtUp(s, "audit") && caughtUp(s, "trace"));
        assertThat(get(auditUri)).isEqualTo(audit);
        assertThat(get(auditUri + "/trace")).isEqualTo(trace);
    }

    @Test
    void rebuildingOneProjectionLeavesTheOtherAlone() {
        ResponseEntity<JsonNode> before = http.get().uri("/actuator/projections").retrieve().toEntity(JsonNode.class);
        String auditRebuilt = before.getBody().at("/projections/audit/lastRebuildStartedAt").asText(null);

        ResponseEntity<JsonNode> rebuild = http.post().uri("/actuator/projections")
                .contentType(MediaType.APPLICATION_JSON).body("{\"projection\":\"trace\"}")
                .retrieve().toEntity(JsonNode.class);

        assertThat(rebuild.getStatusCode().value()).isEqualTo(200);
        assertThat(rebuild.getBody().at("/projections/trace/lastRebuildStartedAt").isTextual()).isTrue();
        assertThat(rebuild.getBody().at("/projections/audit/lastRebuildStartedAt").asText(null)).isEqualTo(auditRebuilt);
        await().atMost(Duration.ofSeconds(60)).until(this::status, s -> caughtUp(s, "trace"));
    }

    @Test
    void aRebuildShowsItsProgressAndLogsItsStartAndEnd(CapturedOutput output) {
        new ScriptedConversation(commands).turn("hi").stage(Stage.USER_INPUT, Map.of("text", "hi"))
                .complete("GREETING", "IDLE");
        int before = output.getOut().length();

        JsonNode started = http.post().uri("/actuator/projections").contentType(MediaType.APPLICATION_JSON)
                .body("{\"projection\":\"trace\"}").retrieve().body(JsonNode.class);

        JsonNode progress = started.at("/projections/trace/progress");
        long target = started.at("/projections/trace/lastRebuildTarget").asLong();
        assertThat(progress.get("total").asLong()).isEqualTo(target).isPositive();
        assertThat(progress.get("done").asLong()).isBetween(0L, target);
        JsonNode finished = await().atMost(Duration.ofSeconds(60)).until(this::status, s -> caughtUp(s, "trace"))
                .at("/projections/trace/progress");
        assertThat(finished.get("finished").asBoolean()).isTrue();
        assertThat(finished.get("done").asLong()).isEqualTo(target);
        assertThat(finished.get("percent").asInt()).isEqualTo(100);
        assertThat(finished.get("secondsLeft").asLong()).isZero();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(output.getOut().substring(before))
                .contains("Rebuild of trace started: replaying " + target + " events")
                .contains("Rebuild of trace finished: " + target + " events"));
    }

    @Test
    void anUnknownProjectionIsABadRequest() {
        ResponseEntity<String> answer = http.post().uri("/actuator/projections")
                .contentType(MediaType.APPLICATION_JSON).body("{\"projection\":\"nope\"}")
                .retrieve().toEntity(String.class);
        assertThat(answer.getStatusCode().value()).isEqualTo(400);
    }

    private static boolean caughtUp(JsonNode status, String projection) {
        JsonNode p = status.get("projections").get(projection);
        return p.get("running").asBoolean() && !p.get("replaying").asBoolean() && p.get("lag").asLong(-1) == 0
                && p.get("segments").size() == 2;
    }

    private JsonNode status() {
        return http.get().uri("/actuator/projections").retrieve().body(JsonNode.class);
    }

    private String get(String uri) {
        return http.get().uri(uri).retrieve().body(String.class);
    }
}
