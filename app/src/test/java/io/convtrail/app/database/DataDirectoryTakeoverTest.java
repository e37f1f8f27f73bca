package io.convtrail.app.database;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A data directory still locked by a service that is stopping is waited for, up to the limit, then
 * refused with a message naming it (the restart after a kill, with a PostgreSQL left running, is
 * covered by the fault suite's KillFaultIT against real processes).
 */
class DataDirectoryTakeoverTest {

    @TempDir
    Path dataDir;

    @Test
    void aLockReleasedWithinTheWaitIsTakenOver() throws Exception {
        FileChannel channel = lockFile();
        FileLock held = channel.lock();
        long started = System.nanoTime();
        CompletableFuture.delayedExecutor(500, TimeUnit.MILLISECONDS).execute(() -> release(held, channel));

        DataDirectoryTakeover.prepare(dataDir, Duration.ofSeconds(10));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    }

    @Test
    void aLockHeldPastTheWaitIsRefusedWithTheDirectoryNamed() throws Exception {
        FileChannel channel = lockFile();
        FileLock held = channel.lock();
        try {
            assertThatThrownBy(() -> DataDirectoryTakeover.prepare(dataDir, Duration.ofMillis(600)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(dataDir.toString())
                    .hasMessageContaining("in use by another running convtrail");
        } finally {
            release(held, channel);
        }
    }

    @Test
    void aStalePidFileOfAProcessThatIsGoneIsLeftToPostgres() throws Exception {
        Files.writeString(dataDir.resolve("postmaster.pid"), "999999999\n" + dataDir + "\n");

        DataDirectoryTakeover.prepare(dataDir, Duration.ofSeconds(1));

        assertThat(dataDir.resolve("postmaster.pid")).exists();
    }

    private FileChannel lockFile() throws Exception {
        return FileChannel.open(dataDir.resolve(DataDirectoryTakeover.LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
    }

    private static void release(FileLock lock, FileChannel channel) {
        try {
            lock.release();
            channel.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
