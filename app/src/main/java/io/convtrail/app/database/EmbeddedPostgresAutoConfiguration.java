package io.convtrail.app.database;

import io.convtrail.app.security.SecretFiles;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcConnectionDetails;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Starts a real PostgreSQL inside the process when no external database is configured, so a fresh
 * clone runs with one command. Its data directory is kept between runs. Any
 * {@code spring.datasource.url} (or a connection-details bean, as tests provide) turns it off.
 * It listens on loopback only and requires a password for every connection, local socket included:
 * the event store is the audit record, and the embedded library's default (trust: any local user is
 * superuser without a password) would let anyone on the machine rewrite it.
 */
@AutoConfiguration(before = DataSourceAutoConfiguration.class)
@ConditionalOnExpression("'${spring.datasource.url:}'.isEmpty()")
@ConditionalOnMissingBean(JdbcConnectionDetails.class)
@EnableConfigurationProperties(EmbeddedPostgresProperties.class)
public class EmbeddedPostgresAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresAutoConfiguration.class);

    /** The superuser's password, generated next to the data directory on first start (owner-readable only). */
    record Password(String value) {
    }

    @Bean
    Password embeddedPostgresPassword(EmbeddedPostgresProperties properties) {
        return new Password(SecretFiles.readOrCreate(EmbeddedPostgresPasswords.file(properties.dataDir())));
    }

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(EmbeddedPostgresProperties properties, Password password) {
        Path dataDir = properties.dataDir().toAbsolutePath().normalize();
        try {
            Files.createDirectories(dataDir.getParent());
            boolean existing = Files.exists(dataDir.resolve("PG_VERSION"));
            DataDirectoryTakeover.prepare(dataDir, properties.lockWait());
            log.info("Starting embedded PostgreSQL, {} data directory {}", existing ? "reusing" : "creating", dataDir);
            String durable = properties.durable() ? "on" : "off";
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    // stopped as this bean is destroyed, after everything using the database (Spring closes
                    // dependents first); the library's own JVM shutdown hook would run beside Spring's and stop
                    // the server while a SIGTERM's graceful shutdown still drains turns and processors
                    .setRegisterShutdownHook(false)
                    .setPort(properties.port())
                    .setServerConfig("listen_addresses", "localhost")
                    // the library's own readiness check logs in: with the password from the second start on
                    .setConnectConfig("password", password.value())
                    .setServerConfig("fsync", durable)
                    .setServerConfig("synchronous_commit", durable)
                    .start();
            EmbeddedPostgresPasswords.require(postgres, dataDir, password.value());
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL in " + dataDir
                    + " (set SPRING_DATASOURCE_URL to use an external PostgreSQL)", e);
        }
    }

    @Bean
    JdbcConnectionDetails embeddedPostgresConnectionDetails(EmbeddedPostgres postgres, Password password) {
        String url = postgres.getJdbcUrl("postgres", "postgres");
        return new JdbcConnectionDetails() {
            @Override
            public String getUsername() {
                return "postgres";
            }

            @Override
            public String getPassword() {
                return password.value();
            }

            @Override
            public String getJdbcUrl() {
                return url;
            }
        };
    }
}
