package io.convtrail.app.fault;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The one PostgreSQL that several nodes of a test share: the one {@code SPRING_DATASOURCE_URL} names
 * (with {@code _USERNAME} and {@code _PASSWORD}), else an embedded instance started in {@code home}.
 */
final class SharedPostgres implements AutoCloseable {

    private final EmbeddedPostgres embedded;
    private final String[] args;

    private SharedPostgres(EmbeddedPostgres embedded, String[] args) {
        this.embedded = embedded;
        this.args = args;
    }

    static SharedPostgres open(Path home) throws IOException {
        String url = System.getenv("SPRING_DATASOURCE_URL");
        if (url != null && !url.isBlank()) {
            return new SharedPostgres(null, new String[]{"--spring.datasource.url=" + url,
                    "--spring.datasource.username=" + System.getenv().getOrDefault("SPRING_DATASOURCE_USERNAME", ""),
                    "--spring.datasource.password=" + System.getenv().getOrDefault("SPRING_DATASOURCE_PASSWORD", "")});
        }
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(home.resolve("pg").toAbsolutePath())
                .setPort(ServiceProcess.freePort()).start();
        return new SharedPostgres(postgres, new String[]{"--spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
                "--spring.datasource.username=postgres", "--spring.datasource.password=postgres"});
    }

    /** The node arguments: {@code --spring.datasource.url=…}, {@code username}, {@code password}, in that order. */
    String[] args() {
        return args.clone();
    }

    @Override
    public void close() throws IOException {
        if (embedded != null) {
            embedded.close();
        }
    }
}
