package io.convtrail.app.database;

import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.eventsourcing.eventstore.jpa.SQLStateResolver;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tells Axon's JDBC event store that PostgreSQL's unique violation (SQLState 23505) on
 * {@code (aggregateidentifier, sequencenumber)} is a concurrent append: two nodes appended to one
 * conversation at once. Axon then raises its {@code ConcurrencyException}, which the turn service
 * answers like a turn in progress (it waits {@code busy-wait}, then 409). Axon's default resolver
 * only recognises {@code SQLIntegrityConstraintViolationException}, which the PostgreSQL driver never
 * throws, so the losing node answered 500. Within one node Axon's aggregate lock already serialises
 * the commands, so this only shows with several nodes.
 */
@Configuration(proxyBeanMethods = false)
class AppendConflictConfiguration {

    /** PostgreSQL's unique_violation. */
    static final String UNIQUE_VIOLATION = "23505";

    @Bean
    PersistenceExceptionResolver persistenceExceptionResolver() {
        return new SQLStateResolver(UNIQUE_VIOLATION);
    }
}
