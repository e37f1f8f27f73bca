package io.convtrail.app.operations;

import com.fasterxml.jackson.databind.JsonNode;
import io.convtrail.app.LocalApi;

import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;

/** {@code GET /actuator/projections} as the rebuild tests read it. */
final class ProjectionsStatus {

    private ProjectionsStatus() {
    }

    static JsonNode of(int port) {
        return LocalApi.client(port).get().uri("/actuator/projections").retrieve().body(JsonNode.class);
    }

    /** Waits until each projection runs, replays nothing, holds a segment and stands at {@code head} or past it. */
    static void awaitCaughtUp(int port, long head, List<String> projections) {
        await().atMost(Duration.ofSeconds(60)).until(() -> of(port), s -> projections.stream().allMatch(name -> {
            JsonNode p = s.get("projections").get(name);
            return p.get("running").asBoolean() && !p.get("replaying").asBoolean()
                    && p.get("position").asLong(-1) >= head && p.get("lag").asLong(-1) == 0
                    && p.get("segments").size() > 0;
        }));
    }
}
