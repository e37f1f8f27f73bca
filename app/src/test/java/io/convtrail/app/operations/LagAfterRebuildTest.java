package io.convtrail.app.operations;

import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.app.LocalApi;
import io.convtrail.app.ScriptedConversation;
import io.convtrail.testsupport.store.EventStoreProbe;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * After a rebuild that turns ran through, the projections are live again: each later turn reaches the
 * read models as soon as it commits, not when the processors' one-second wait for events ends. (They
 * used to read the store on a stream of their own after the hand-over, which learns of this node's
 * commits only when that wait ends: 250 ms to 1 s per turn until a lucky rejoin.)
 */
@ConvtrailIntegrationTest
class LagAfterRebuildTest {

    /** Far above a live turn's lag (~10 ms here) and far below the one-second wait it must not take. */
    private static final Duration LIVE = Duration.ofMillis(300);

    @LocalServerPort
    int port;

    @Autowired
    CommandGateway commands;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    EventStoreProbe store;

    @Test
    void turnsAfterARebuildReachTheReadModelsAtOnce() throws Exception {
        for (int i = 0; i < 20; i++) {
            ScriptedConversation.greeting(commands); // pages for the rebuild to read
        }
        caughtUp(store.head());
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService writers = Executors.newFixedThreadPool(4);
        List<Future<?>> running = new ArrayList<>();
        try {
            // concurrent commits leave gaps in the tokens the rebuild hands over, as a loaded service's do
            for (int i = 0; i < 4; i++) {
                running.add(writers.submit(() -> {
                    while (writing.get()) {
                        ScriptedConversation.greeting(commands);
                    }
                    return null;
                }));
            }
            Thread.sleep(200);
            LocalApi.client(port).post().uri("/actuator/projections").contentType(MediaType.APPLICATION_JSON).body("{}")
                    .retrieve().toBodilessEntity();
            await().atMost(Duration.ofSeconds(60)).until(() -> replaying().isEmpty());
            Thread.sleep(500);
        } finally {
            writing.set(false);
            for (Future<?> writer : running) {
                writer.get();
            }
            writers.shutdown();
        }
        caughtUp(store.head());

        List<Long> lags = new ArrayList<>();
        for (int turn = 0; turn < 6; turn++) {
            Thread.sleep(1200); // past a processor's wait: it idles between turns, as between a user's messages
            ScriptedConversation sent = ScriptedConversation.greeting(commands);
            long sentAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(2))
                    .until(() -> projected(sent.id()) == sent.recorded());
            lags.add(Duration.ofNanos(System.nanoTime() - sentAt).toMillis());
        }
        System.out.println("LagAfterRebuildTest: ms from a turn's last commit to both projections, after a rebuild: " + lags);
        assertThat(lags).as("ms from a turn's last commit to its rows in both projections")
                .allSatisfy(lag -> assertThat(lag).isLessThan(LIVE.toMillis()));
    }

    /** The turn's records in the raw audit, if the trace holds its turn too; else -1. */
    private long projected(UUID conversation) {
        long audit = jdbc.sql("SELECT count(*) FROM audit_event WHERE conversation_id = :id")
                .param("id", conversation).query(Long.class).single();
        long trace = jdbc.sql("SELECT count(*) FROM trace_turn WHERE conversation_id = :id")
                .param("id", conversation).query(Long.class).single();
        return trace > 0 ? audit : -1;
    }

    private List<String> replaying() {
        List<String> names = new ArrayList<>();
        ProjectionsStatus.of(port).get("projections").properties().forEach(p -> {
            if (p.getValue().path("replaying").asBoolean()) {
                names.add(p.getKey());
            }
        });
        return names;
    }

    private void caughtUp(long head) {
        ProjectionsStatus.awaitCaughtUp(port, head, List.of("audit", "trace"));
    }
}
