package io.convtrail.query.projection;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * How far a projection has got, read from Axon's token table. A projection commits its rows and its
 * tokens in one transaction, so a committed token that covers an event means that event's rows are
 * committed too, whichever node applied it. Read only: Axon's own token store cannot fetch a token
 * without claiming it.
 */
@Component
public class ProjectionTokens {

    private final JdbcClient jdbc;
    private final Serializer serializer;

    public ProjectionTokens(JdbcClient jdbc, Serializer serializer) {
        this.jdbc = jdbc;
        this.serializer = serializer;
    }

    /**
     * Whether every segment of the projection has passed the event at {@code globalIndex}. Every
     * segment reads every event (and stores its token past those it does not own), so this holds
     * soon after the owning segment's commit; asking all avoids re-deriving Axon's segment routing.
     */
    public boolean covered(String processor, long globalIndex) {
        List<TrackingToken> tokens = jdbc.sql("SELECT token, tokentype FROM tokenentry WHERE processorname = :name")
                .param("name", processor)
                .query((rs, i) -> token(rs.getBytes(1), rs.getString(2)))
                .list();
        return !tokens.isEmpty() && tokens.stream().allMatch(token -> covers(token, globalIndex));
    }

    static boolean covers(TrackingToken token, long globalIndex) {
        if (token == null) {
            return false;
        }
        // a replay token covers what its current position covers: the rows are being written again
        return WrappedToken.unwrap(token, GapAwareTrackingToken.class)
                .map(gapAware -> gapAware.getIndex() >= globalIndex && !gapAware.getGaps().contains(globalIndex))
                .orElseGet(() -> token.position().orElse(-1L) >= globalIndex);
    }

    private TrackingToken token(byte[] data, String type) {
        if (data == null || type == null) {
            return null;
        }
        return serializer.deserialize(new SimpleSerializedObject<>(data, byte[].class, type, null));
    }
}
