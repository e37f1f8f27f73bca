package io.convtrail.testsupport;

import io.convtrail.testsupport.store.EventStoreProbe;
import org.springframework.boot.autoconfigure.jdbc.JdbcConnectionDetails;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.testcontainers.containers.PostgreSQLContainer;

import javax.sql.DataSource;

/**
 * Import into any Spring integration test that touches storage. With a Docker engine it starts a
 * {@code postgres:16} container wired by {@code @ServiceConnection}; without one it hands Spring a
 * fresh database from {@link TestPostgres}. Either way it is real PostgreSQL, never H2.
 */
@TestConfiguration(proxyBeanMethods = false)
public class PostgresTestConfiguration {

    /** What the event store holds, for tests to check read models, streams and exports against. */
    @Bean
    EventStoreProbe eventStoreProbe(DataSource dataSource) {
        return new EventStoreProbe(dataSource::getConnection);
    }

    @Bean
    @ServiceConnection
    @Conditional(DockerAvailable.class)
    PostgreSQLContainer<?> postgresContainer() {
        return new PostgreSQLContainer<>("postgres:16-alpine");
    }

    @Bean
    @Conditional(NoDocker.class)
    JdbcConnectionDetails testDatabaseConnectionDetails() {
        TestPostgres.Database db = TestPostgres.freshDatabase();
        return new JdbcConnectionDetails() {
            @Override
            public String getUsername() {
                return db.username();
            }

            @Override
            public String getPassword() {
                return db.password();
            }

            @Override
            public String getJdbcUrl() {
                return db.jdbcUrl();
            }
        };
    }

    static final class DockerAvailable implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            boolean docker = TestPostgres.dockerAvailable();
            if (docker) {
                org.slf4j.LoggerFactory.getLogger(PostgresTestConfiguration.class)
                        .info("Integration test database: Testcontainers PostgreSQL (postgres:16-alpine)");
            }
            return docker;
        }
    }

    static final class NoDocker implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !TestPostgres.dockerAvailable();
        }
    }
}
