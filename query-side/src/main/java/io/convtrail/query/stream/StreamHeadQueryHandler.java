package io.convtrail.query.stream;

import io.convtrail.api.query.FindStreamHeadQuery;
import io.convtrail.query.audit.AuditRepository;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

/** Where a live stream starts: after the last event the read model holds. */
@Component
class StreamHeadQueryHandler {

    private final AuditRepository repository;

    StreamHeadQueryHandler(AuditRepository repository) {
        this.repository = repository;
    }

    @QueryHandler
    Long handle(FindStreamHeadQuery query) {
        return repository.lastSequence(query.conversationId());
    }
}
