package io.convtrail.bench;

import io.convtrail.testsupport.store.EventStoreProbe;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The PostgreSQL the service and the baselines share. By default an embedded one, started here
 * with the same settings as the service's own embedded default (durable: fsync and
 * synchronous_commit on; max_connections=300) plus {@code track_commit_timestamp=on}, which lets
 * the stream scenario read the exact commit time of every event. Or an external one given by URL.
 */
final class BenchDatabase implements AutoCloseable {

    private final EmbeddedPostgres embedded;
    private final Path dataDir;
    private final Path tempDir;
    private final String url;
    private final String user;
    private final String password;
    private final boolean durable;

    private BenchDatabase(EmbeddedPostgres embedded, Path dataDir, Path tempDir, String url, String user,
                          String password, boolean durable) {
        this.embedded = embedded;
        this.dataDir = dataDir;
        this.tempDir = tempDir;
        this.url = url;
        this.user = user;
        this.password = password;
        this.durable = durable;
    }

    static BenchDatabase open(BenchOptions options) throws IOException {
        if (options.databaseUrl() != null) {
            return new BenchDatabase(null, null, null, options.databaseUrl(), options.databaseUser(),
                    options.databasePassword(), true);
        }
        Path tempDir = null;
        Path dataDir = options.dataDir();
        if (dataDir == null) {
            tempDir = Files.createTempDirectory("convtrail-bench-");
            dataDir = tempDir.resolve("postgres");
        }
        Files.createDirectories(dataDir.toAbsolutePath().getParent());
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setServerConfig("track_commit_timestamp", "on")
                .setServerConfig("max_connections", "300")
                .setServerConfig("fsync", options.durableDatabase() ? "on" : "off")
                .setServerConfig("synchronous_commit", options.durableDatabase() ? "on" : "off")
                .start();
        return new BenchDatabase(pg, dataDir, tempDir, pg.getJdbcUrl("postgres", "postgres"), "postgres", "postgres",
                options.durableDatabase());
    }

    String url() {
        return url;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    String describe() {
        return embedded != null ? "embedded PostgreSQL 16 (fsync and synchronous_commit " + (durable ? "on" : "off")
                + ")" : "external " + url;
    }

    Connection connect() throws SQLException {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(url);
        ds.setUser(user);
        ds.setPassword(password);
        return ds.getConnection();
    }

    /** A connection whose batches the driver rewrites into multi-row INSERTs: for seeding, never for measuring. */
    Connection connectForBulk() throws SQLException {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(url);
        ds.setUser(user);
        ds.setPassword(password);
        ds.setReWriteBatchedInserts(true);
        return ds.getConnection();
    }

    long queryLong(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    String queryString(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    void execute(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    boolean tableExists(String name) throws SQLException {
        try (Connection c = connect();
             PreparedStatement s = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** The event store's head: the highest global index (0 when empty). */
    long head() {
        return new EventStoreProbe(this::connect).head();
    }

    /**
     * CPU time PostgreSQL has spent so far serving the bench. Embedded: the postmaster's whole process tree
     * (backends, WAL writer, checkpointer, autovacuum; ended backends through the time the postmaster reaped).
     * External on this machine: the live backends connected to the bench's database, found in
     * {@code pg_stat_activity} (the server's shared processes and backends that end in a window escape it).
     * Elsewhere: {@link ServerCpu#UNKNOWN}.
     */
    ServerCpu serverCpu() {
        try {
            if (embedded != null) {
                long postmaster = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
                long nanos = ProcessCpu.ofTree(postmaster);
                return nanos < 0 ? ServerCpu.UNKNOWN : new ServerCpu(Map.of(postmaster, nanos), true);
            }
            String host = URI.create(url.substring("jdbc:".length())).getHost();
            if (host == null || !(host.equals("localhost") || InetAddress.getByName(host).isLoopbackAddress())) {
                return ServerCpu.UNKNOWN;
            }
            Map<Long, Long> backends = new HashMap<>();
            try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database()")) {
                while (rs.next()) {
                    long nanos = ProcessCpu.ofProcess(rs.getLong(1));
                    if (nanos >= 0) {
                        backends.put(rs.getLong(1), nanos);
                    }
                }
            }
            return backends.isEmpty() ? ServerCpu.UNKNOWN : new ServerCpu(backends, false);
        } catch (Exception e) {
            return ServerCpu.UNKNOWN;
        }
    }

    /** One reading of {@link #serverCpu()}: CPU time per process; {@code tree}: one root holding all the rest. */
    record ServerCpu(Map<Long, Long> byProcess, boolean tree) {

        static final ServerCpu UNKNOWN = new ServerCpu(Map.of(), false);

        /** Nanoseconds spent since the earlier reading, or -1 when either could not be taken. */
        long since(ServerCpu earlier) {
            if (byProcess.isEmpty() || earlier.byProcess.isEmpty()) {
                return -1;
            }
            if (tree) {
                return byProcess.keySet().equals(earlier.byProcess.keySet())
                        ? sum(byProcess) - sum(earlier.byProcess) : -1;
            }
            return byProcess.entrySet().stream()
                    .mapToLong(e -> e.getValue() - earlier.byProcess.getOrDefault(e.getKey(), 0L)).sum();
        }

        String scope() {
            return tree ? "every process of the embedded server" : "live backends of the bench's database";
        }

        private static long sum(Map<Long, Long> nanos) {
            return nanos.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    boolean tracksCommitTimestamps() throws SQLException {
        return "on".equals(queryString("SHOW track_commit_timestamp"));
    }

    @Override
    public void close() throws IOException {
        if (embedded != null) {
            embedded.close();
        }
        if (tempDir != null) {
            try (Stream<Path> files = Files.walk(tempDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
