package io.convtrail.app.node;

import io.convtrail.testsupport.TestPostgres;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A projection batch ends by storing its segment's token: for a segment the node holds, that is one
 * statement ({@link OwnedTokenStore}), where Axon's store reads the row {@code FOR UPDATE} and then writes it;
 * a segment the node does not hold is claimed, or refused, as Axon does it.
 */
class OwnedTokenStoreTest {

    private static SingleConnectionDataSource dataSource;
    private static JdbcTemplate jdbc;
    private final AtomicInteger statements = new AtomicInteger();
    private OwnedTokenStore store;

    @BeforeAll
    static void database() {
        TestPostgres.Database db = TestPostgres.freshDatabase();
        dataSource = new SingleConnectionDataSource(db.jdbcUrl(), db.username(), db.password(), true);
        jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("CREATE TABLE tokenentry (processorname VARCHAR(255) NOT NULL, segment INTEGER NOT NULL, "
                + "token BYTEA, tokentype VARCHAR(255), timestamp VARCHAR(255), owner VARCHAR(255), "
                + "CONSTRAINT tokenentry_pkey PRIMARY KEY (processorname, segment))");
    }

    @AfterAll
    static void close() {
        dataSource.destroy();
    }

    @BeforeEach
    void emptyStore() {
        jdbc.update("DELETE FROM tokenentry");
        JacksonSerializer serializer = JacksonSerializer.defaultSerializer();
        TokenSchema schema = TokenSchema.builder().build();
        ConnectionProvider counting = () -> {
            Connection real = dataSource.getConnection();
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Connection.class},
                    (proxy, method, args) -> {
                        if (method.getName().startsWith("prepare") || method.getName().equals("createStatement")) {
                            statements.incrementAndGet();
                        }
                        return method.invoke(real, args);
                    });
        };
        JdbcTokenStore.Builder builder = JdbcTokenStore.builder().connectionProvider(counting).schema(schema)
                .serializer(serializer).claimTimeout(Duration.ofSeconds(10)).nodeId("node-a");
        store = new OwnedTokenStore(builder, counting, schema, serializer, "node-a");
        store.initializeTokenSegments("audit", 2);
    }

    @Test
    void aHeldSegmentsTokenIsStoredInOneStatement() {
        store.fetchToken("audit", 0); // claims it
        statements.set(0);

        store.storeToken(new GlobalSequenceTrackingToken(41), "audit", 0);

        assertThat(statements).hasValue(1);
        assertThat(store.fetchToken("audit", 0)).isEqualTo(new GlobalSequenceTrackingToken(41));
        assertThat(jdbc.queryForObject("SELECT owner FROM tokenentry WHERE segment = 0", String.class))
                .isEqualTo("node-a");
    }

    @Test
    void aSegmentNobodyHoldsIsClaimedAsAxonClaimsIt() {
        store.storeToken(new GlobalSequenceTrackingToken(7), "audit", 1);

        assertThat(jdbc.queryForObject("SELECT owner FROM tokenentry WHERE segment = 1", String.class))
                .isEqualTo("node-a");
        assertThat(store.fetchToken("audit", 1)).isEqualTo(new GlobalSequenceTrackingToken(7));
    }

    @Test
    void anotherNodesLiveClaimIsRefusedAndItsTokenKept() {
        store.fetchToken("audit", 0);
        store.storeToken(new GlobalSequenceTrackingToken(5), "audit", 0);
        jdbc.update("UPDATE tokenentry SET owner = 'node-b' WHERE segment = 0");

        assertThatThrownBy(() -> store.storeToken(new GlobalSequenceTrackingToken(9), "audit", 0))
                .isInstanceOf(UnableToClaimTokenException.class);
        jdbc.update("UPDATE tokenentry SET owner = 'node-a' WHERE segment = 0");
        assertThat(store.fetchToken("audit", 0)).isEqualTo(new GlobalSequenceTrackingToken(5));
    }
}
