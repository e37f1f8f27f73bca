package io.convtrail.app.database;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The zero-setup database, used when no {@code spring.datasource.url} is configured.
 *
 * @param dataDir where PostgreSQL keeps its files; they survive restarts
 * @param port    the port it listens on (loopback only); 0 picks a free one at every start
 * @param durable whether a commit waits for the disk (fsync and synchronous_commit on). The embedded
 *                library turns both off for speed; the default turns them back on, since this database
 *                holds the audit record and should survive a crash, not only a clean restart
 * @param lockWait how long a starting service waits for a previous one that still holds the data directory
 *                 (it is stopping) before it gives up
 */
@Validated
@ConfigurationProperties("convtrail.embedded-postgres")
public record EmbeddedPostgresProperties(
        @DefaultValue("./data/postgres") @NotNull Path dataDir,
        @DefaultValue("0") @Min(0) @Max(65535) int port,
        @DefaultValue("true") boolean durable,
        @DefaultValue("60s") @PositiveOrZero Duration lockWait) {
}
