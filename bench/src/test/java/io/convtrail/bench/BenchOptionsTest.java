package io.convtrail.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchOptionsTest {

    private static final String URL = "--target-url=http://127.0.0.1:8081";
    private static final String DB = "--db-url=jdbc:postgresql://127.0.0.1:5432/peer";

    @Test
    void aRunningServiceIsDrivenThroughScenarioOneWithTheCpuOfItsPids() {
        BenchOptions options = BenchOptions.parse(new String[]{URL, "--target-pids=41, 42", DB, "--clients=16"});

        assertTrue(options.drivesTarget());
        assertEquals(List.of(41L, 42L), options.targetPids());
        assertEquals(Set.of(1), options.scenarios());
        assertEquals(List.of(16), options.clients());
    }

    @Test
    void withoutATargetTheBenchStartsConvtrailForEveryScenario() {
        BenchOptions options = BenchOptions.parse(new String[]{});

        assertFalse(options.drivesTarget());
        assertEquals(Set.of(1, 2, 3, 4, 5, 6, 7, 9), options.scenarios());
    }

    @Test
    void aTargetWithoutItsPidsOrItsDatabaseIsRefused() {
        refused("needs --target-pids", URL, DB);
        refused("needs --db-url", URL, "--target-pids=41");
        refused("needs --target-url", "--target-pids=41");
    }

    @Test
    void aTargetRunsNoScenarioThatReadsConvtrailsTables() {
        refused("scenario 1 only", URL, "--target-pids=41", DB, "--scenarios=1,5");
        refused("http(s) URL", "--target-url=127.0.0.1:8081", "--target-pids=41", DB);
    }

    @Test
    void theServiceIsWarmedUntilItsJitSettlesExceptInASmokeRun() {
        assertEquals(300, BenchOptions.parse(new String[]{}).jitWarmupSeconds());
        assertEquals(0, BenchOptions.parse(new String[]{"--quick"}).jitWarmupSeconds());
        assertEquals(60, BenchOptions.parse(new String[]{"--quick", "--jit-warmup-seconds=60"}).jitWarmupSeconds());
        refused("0 (none) or more", "--jit-warmup-seconds=-1");
    }

    private static void refused(String because, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(args));
        assertTrue(e.getMessage().contains(because), e.getMessage());
    }
}
