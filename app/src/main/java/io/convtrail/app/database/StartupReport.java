package io.convtrail.app.database;

import io.convtrail.app.node.NodeRoles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.jdbc.JdbcConnectionDetails;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;

/** One line at startup that says where the service listens, which roles it has and which database it uses. */
@Component
class StartupReport {

    private static final Logger log = LoggerFactory.getLogger("io.convtrail");

    private final DataSource dataSource;
    private final ObjectProvider<EmbeddedPostgresProperties> embedded;
    private final ObjectProvider<io.zonky.test.db.postgres.embedded.EmbeddedPostgres> embeddedServer;

    private final NodeRoles roles;

    StartupReport(DataSource dataSource, ObjectProvider<EmbeddedPostgresProperties> embedded,
                  ObjectProvider<io.zonky.test.db.postgres.embedded.EmbeddedPostgres> embeddedServer, NodeRoles roles) {
        this.dataSource = dataSource;
        this.roles = roles;
        this.embedded = embedded;
        this.embeddedServer = embeddedServer;
    }

    @EventListener
    void ready(ApplicationReadyEvent event) {
        String address = event.getApplicationContext() instanceof WebServerApplicationContext web
                && web.getWebServer() != null
                ? "http://localhost:" + web.getWebServer().getPort()
                : "(no web server)";
        log.info("convtrail is listening on {} — roles: {} — database: {}", address, roles.describe(), database());
    }

    private String database() {
        try (Connection c = dataSource.getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            String server = "PostgreSQL " + meta.getDatabaseProductVersion() + " at " + meta.getURL();
            if (embeddedServer.getIfAvailable() != null) {
                EmbeddedPostgresProperties p = embedded.getIfAvailable();
                return "embedded " + server + " (data directory " + (p == null ? "?"
                        : p.dataDir().toAbsolutePath().normalize()) + ")";
            }
            return "external " + server;
        } catch (SQLException e) {
            return "unreachable (" + e.getMessage() + ")";
        }
    }
}
