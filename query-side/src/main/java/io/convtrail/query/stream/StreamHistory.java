package io.convtrail.query.stream;

import io.convtrail.api.query.FindStreamEventsQuery;
import io.convtrail.api.query.FindStreamHeadQuery;
import io.convtrail.api.stream.StreamEvent;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.UUID;

/** Stored stream events, read through the query bus from the same read model the live path fills. */
@Component
public class StreamHistory {

    private final QueryGateway queries;

    public StreamHistory(QueryGateway queries) {
        this.queries = queries;
    }

    /** Up to {@code limit} events after {@code afterSequence}, in sequence order. */
    public List<StreamEvent> after(UUID conversationId, long afterSequence, int limit) {
        return queries.query(new FindStreamEventsQuery(conversationId, afterSequence, limit),
                ResponseTypes.multipleInstancesOf(StreamEvent.class)).join();
    }

    public long head(UUID conversationId) {
        return queries.query(new FindStreamHeadQuery(conversationId), Long.class).join();
    }
}
