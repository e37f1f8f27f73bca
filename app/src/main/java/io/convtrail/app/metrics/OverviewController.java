package io.convtrail.app.metrics;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** The console's overview: the last hour of this node, per minute (auditors and admins). */
@RestController
@Tag(name = "operations", description = "the service's own health, for the console")
class OverviewController {

    private final OverviewHistory history;

    OverviewController(OverviewHistory history) {
        this.history = history;
    }

    /** The samples, oldest minute first. */
    record Overview(int minutes, List<OverviewHistory.MinuteSample> samples) {
    }

    @Operation(summary = "The last hour, per minute",
            description = "This node's turns by outcome, turn latency percentiles (ms), the highest projection lag "
                    + "(events and seconds, per projection) and open streams (per transport) of each minute of the "
                    + "last hour, kept in memory: a restart starts a new hour. For long-term dashboards scrape "
                    + "`/actuator/prometheus`. Auditors and admins.")
    @ApiResponse(responseCode = "200", description = "the minutes that have samples, oldest first")
    @GetMapping(path = "/api/v1/overview", produces = MediaType.APPLICATION_JSON_VALUE)
    Overview overview() {
        return new Overview(OverviewHistory.MINUTES, history.lastHour());
    }
}
