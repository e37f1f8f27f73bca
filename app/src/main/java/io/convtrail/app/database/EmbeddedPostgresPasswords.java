package io.convtrail.app.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Turns the embedded server's trust authentication into password authentication. The library runs
 * initdb with {@code -A trust} and offers no password option, so on every start convtrail connects
 * with the password (trust accepts it on the very first start), sets it, replaces {@code pg_hba.conf}
 * with SCRAM for every connection and reloads. Repeating this is harmless and also secures a data
 * directory created by an older convtrail.
 */
final class EmbeddedPostgresPasswords {

    private static final String HBA = """
            # written by convtrail at every start: a password (SCRAM) for every connection, loopback only
            local   all   all                  scram-sha-256
            host    all   all   127.0.0.1/32   scram-sha-256
            host    all   all   ::1/128        scram-sha-256
            """;

    private EmbeddedPostgresPasswords() {
    }

    /** Where the password is kept: next to the data directory, which initdb needs empty on first start. */
    static Path file(Path dataDir) {
        Path dir = dataDir.toAbsolutePath().normalize();
        return dir.resolveSibling(dir.getFileName() + ".password");
    }

    static void require(EmbeddedPostgres postgres, Path dataDir, String password) {
        try (Connection c = DriverManager.getConnection(postgres.getJdbcUrl("postgres", "postgres"), "postgres", password);
             Statement s = c.createStatement()) {
            // the password is base64url (SecretFiles): nothing in it needs quoting
            s.execute("ALTER USER postgres PASSWORD '" + password + "'");
            Files.writeString(dataDir.resolve("pg_hba.conf"), HBA, StandardCharsets.UTF_8);
            s.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot log in to the embedded PostgreSQL in " + dataDir + " with the password in "
                    + file(dataDir) + " (" + e.getMessage() + "); restore that file or delete the data directory", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dataDir.resolve("pg_hba.conf"), e);
        }
    }
}
