package io.convtrail.app.node;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.JdbcException;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.GenericTokenEntry;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Axon's JDBC token store, storing a token of a segment this node holds in one statement. Axon's own
 * {@code storeToken} reads the row {@code FOR UPDATE}, checks the claim in memory and writes it back: two
 * round trips in every projection batch's transaction (each batch ends by storing its token). Here the
 * token is written by one {@code UPDATE … WHERE owner = <this node>}, which takes the same row lock; a
 * segment this node does not hold (not claimed yet, claimed by another node, removed) updates no row and
 * goes to Axon's way, which claims it or fails as before. The claim's timestamp is renewed the same way.
 */
final class OwnedTokenStore extends JdbcTokenStore {

    private final ConnectionProvider connections;
    private final Serializer serializer;
    private final String owner;
    private final String update;

    OwnedTokenStore(JdbcTokenStore.Builder builder, ConnectionProvider connections, TokenSchema schema,
                    Serializer serializer, String owner) {
        super(builder);
        this.connections = connections;
        this.serializer = serializer;
        this.owner = owner;
        this.update = "UPDATE " + schema.tokenTable() + " SET " + schema.tokenColumn() + " = ?, "
                + schema.tokenTypeColumn() + " = ?, " + schema.timestampColumn() + " = ? WHERE "
                + schema.processorNameColumn() + " = ? AND " + schema.segmentColumn() + " = ? AND "
                + schema.ownerColumn() + " = ?";
    }

    @Override
    public void storeToken(TrackingToken token, String processorName, int segment)
            throws UnableToClaimTokenException {
        if (token == null || !storedAsOwner(token, processorName, segment)) {
            super.storeToken(token, processorName, segment);
        }
    }

    /** Stores the token if this node holds the segment; false (nothing written) if not. */
    private boolean storedAsOwner(TrackingToken token, String processorName, int segment) {
        GenericTokenEntry<byte[]> entry = new GenericTokenEntry<>(token, serializer, byte[].class, processorName,
                segment);
        SerializedObject<byte[]> serialized = entry.getSerializedToken();
        try (Connection connection = connections.getConnection();
             PreparedStatement statement = connection.prepareStatement(update)) {
            statement.setObject(1, serialized.getData());
            statement.setString(2, serialized.getType().getName());
            statement.setString(3, entry.timestampAsString());
            statement.setString(4, processorName);
            statement.setInt(5, segment);
            statement.setString(6, owner);
            return statement.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new JdbcException(
                    "Could not store the token of " + processorName + "[" + segment + "]", e);
        }
    }
}
