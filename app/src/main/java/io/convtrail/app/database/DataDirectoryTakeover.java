package io.convtrail.app.database;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Makes the embedded data directory usable by this process before the embedded PostgreSQL starts.
 * <p>
 * Two things can stand in the way. The directory's lock ({@code epg-lock}) is held by a live
 * convtrail that is still stopping: wait for it, up to {@code lockWait}. And a PostgreSQL
 * ({@code postmaster.pid}) can outlive its convtrail: {@code pg_ctl} starts it detached, so a
 * {@code kill -9} of the service leaves it running on the directory. Once the lock is free no live
 * convtrail owns that server, so it is stopped (SIGTERM, PostgreSQL's smart shutdown: the dead
 * service's connections are already gone) and waited for. It is never killed: if it does not stop,
 * startup fails rather than risk two servers on one directory.
 */
final class DataDirectoryTakeover {

    private static final Logger log = LoggerFactory.getLogger(DataDirectoryTakeover.class);
    static final String LOCK_FILE = "epg-lock";
    private static final Duration POSTMASTER_STOP_WAIT = Duration.ofSeconds(60);

    private DataDirectoryTakeover() {
    }

    static void prepare(Path dataDir, Duration lockWait) throws IOException {
        Path lockFile = dataDir.resolve(LOCK_FILE);
        if (Files.exists(lockFile)) {
            awaitLock(lockFile, lockWait);
        }
        orphanedPostmaster(dataDir).ifPresent(postmaster -> stop(postmaster, dataDir));
    }

    private static void awaitLock(Path lockFile, Duration lockWait) throws IOException {
        long deadline = System.nanoTime() + lockWait.toNanos();
        boolean told = false;
        while (!lockIsFree(lockFile)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the embedded database directory " + lockFile.getParent()
                        + " is in use by another running convtrail (it holds " + LOCK_FILE + " for longer than "
                        + seconds(lockWait) + " s); stop it, or give this one another "
                        + "CONVTRAIL_EMBEDDED_POSTGRES_DATA_DIR");
            }
            if (!told) {
                log.info("The embedded database directory is still held by a stopping convtrail; waiting up to {} s",
                        seconds(lockWait));
                told = true;
            }
            sleep(200);
        }
    }

    private static boolean lockIsFree(Path lockFile) throws IOException {
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            return lock != null;
        } catch (OverlappingFileLockException heldInThisProcess) {
            return false;
        }
    }

    /** The PostgreSQL named by {@code postmaster.pid}, if that process still runs. */
    private static Optional<ProcessHandle> orphanedPostmaster(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).trim().matches("\\d+")) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(lines.get(0).trim()))
                .filter(ProcessHandle::isAlive)
                // a reused pid of another program: PostgreSQL itself treats the file as stale
                .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(true));
    }

    private static void stop(ProcessHandle postmaster, Path dataDir) {
        log.info("Stopping the embedded PostgreSQL (pid {}) left running on {} by a convtrail that did not stop",
                postmaster.pid(), dataDir);
        postmaster.destroy();
        try {
            postmaster.onExit().get(POSTMASTER_STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the PostgreSQL left running on " + dataDir + " (pid " + postmaster.pid()
                    + ") did not stop within " + POSTMASTER_STOP_WAIT.toSeconds() + " s; stop it by hand", e);
        }
    }

    private static String seconds(Duration duration) {
        return Double.toString(duration.toMillis() / 1000.0);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the embedded database directory", e);
        }
    }
}
