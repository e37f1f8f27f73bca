package io.convtrail.app.node;

import io.convtrail.app.runner.TurnRunnerRegistry;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.serialization.Serializer;
import org.axonframework.springboot.TokenStoreProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Axon's JDBC token store as its auto-configuration builds it, with one change: segments are claimed
 * under the node's name ({@code convtrail.node.name}) instead of the JVM's {@code pid@host}, so
 * {@code tokenentry.owner} and {@code GET /actuator/projections} say which node runs which segment,
 * and a node restarted under its name takes its own claims back at once instead of after the claim
 * timeout ({@code axon.eventhandling.tokenstore.claim-timeout}), after which another node takes a
 * silent node's segments. A token of a segment the node holds is stored in one statement
 * ({@link OwnedTokenStore}).
 */
@Configuration(proxyBeanMethods = false)
class TokenClaimsConfiguration {

    /** The width of {@code tokenentry.owner}. */
    static final int OWNER_COLUMN = 255;

    @Bean
    TokenStore tokenStore(ConnectionProvider connections, Serializer serializer, TokenStoreProperties properties,
                          TurnRunnerRegistry runner) {
        String owner = runner.nodeName();
        String nodeId = owner.length() <= OWNER_COLUMN ? owner : owner.substring(owner.length() - OWNER_COLUMN);
        TokenSchema schema = TokenSchema.builder().build();
        JdbcTokenStore.Builder builder = JdbcTokenStore.builder()
                .connectionProvider(connections)
                .schema(schema)
                .serializer(serializer)
                .claimTimeout(properties.getClaimTimeout())
                .nodeId(nodeId);
        return new OwnedTokenStore(builder, connections, schema, serializer, nodeId);
    }
}
