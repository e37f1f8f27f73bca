package io.convtrail.app.runner;

import io.convtrail.app.database.EmbeddedPostgresProperties;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;
import java.net.InetAddress;
import java.net.UnknownHostException;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RunnerProperties.class)
class RunnerConfiguration {

    @Bean
    TurnRunnerRegistry turnRunnerRegistry(DataSource dataSource, RunnerProperties properties,
                                          ObjectProvider<EmbeddedPostgres> embedded,
                                          ObjectProvider<EmbeddedPostgresProperties> embeddedProperties,
                                          @Value("${server.port:8080}") String port) {
        String name = properties.name();
        if (name.isBlank()) {
            EmbeddedPostgresProperties local = embedded.getIfAvailable() == null ? null
                    : embeddedProperties.getIfAvailable();
            // a random port names no node: such a process never supersedes another, only its silence ends it
            String where = local != null ? local.dataDir().toAbsolutePath().normalize().toString()
                    : "0".equals(port) ? "any-port-" + java.util.UUID.randomUUID() : port;
            name = hostName() + ":" + where;
        }
        return new TurnRunnerRegistry(JdbcClient.create(dataSource), name, properties);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
