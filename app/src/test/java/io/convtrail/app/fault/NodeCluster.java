package io.convtrail.app.fault;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Nodes of the built jar on one PostgreSQL ({@link SharedPostgres}), each a child process named with
 * {@code convtrail.node.name} and logging to {@code target/fault/<label>-…/<name>.log}. Closing the
 * cluster stops every node it started that still runs, then the database.
 */
final class NodeCluster implements AutoCloseable {

    private final Path home;
    private final SharedPostgres postgres;
    private final List<ServiceProcess> nodes = new CopyOnWriteArrayList<>();

    private NodeCluster(Path home, SharedPostgres postgres) {
        this.home = home;
        this.postgres = postgres;
    }

    static NodeCluster open(String label) throws IOException {
        Path home = Path.of("target", "fault", label + "-" + UUID.randomUUID().toString().substring(0, 8));
        return new NodeCluster(home, SharedPostgres.open(home));
    }

    /** Starts node {@code name} with these extra {@code --key=value} arguments and waits until it is healthy. */
    ServiceProcess start(String name, String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of(postgres.args()));
        all.add("--convtrail.node.name=" + name);
        all.addAll(List.of(args));
        ServiceProcess node = ServiceProcess.start(home.resolve(name + ".log"), ServiceProcess.freePort(),
                all.toArray(String[]::new));
        nodes.add(node);
        return node;
    }

    /** {@link #start} on another thread, so that nodes start side by side. */
    CompletableFuture<ServiceProcess> startAside(String name, String... args) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return start(name, args);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    Path home() {
        return home;
    }

    /** A plain JDBC connection to the nodes' database, to look at what they stored. */
    Connection connect() throws SQLException {
        String[] args = postgres.args();
        return DriverManager.getConnection(args[0].substring("--spring.datasource.url=".length()),
                args[1].substring("--spring.datasource.username=".length()),
                args[2].substring("--spring.datasource.password=".length()));
    }

    @Override
    public void close() throws Exception {
        for (ServiceProcess node : nodes) {
            node.close();
        }
        postgres.close();
    }
}
