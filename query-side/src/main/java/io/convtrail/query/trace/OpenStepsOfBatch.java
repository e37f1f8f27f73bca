package io.convtrail.query.trace;

import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The open steps of each turn touched by the current batch, read from the database once per batch
 * and then kept in step with what the batch writes. Every stage needs them, so this saves a query
 * per event. The cache lives in the batch's unit of work: a batch that rolls back takes it along.
 */
final class OpenStepsOfBatch {

    private static final String RESOURCE = OpenStepsOfBatch.class.getName();

    private record TurnKey(UUID conversationId, UUID turnId) {
    }

    private OpenStepsOfBatch() {
    }

    /** The turn's open steps, innermost first; the list may be changed to follow the batch's writes. */
    static List<OpenStep> of(UUID conversationId, UUID turnId, Supplier<List<OpenStep>> stored) {
        if (!CurrentUnitOfWork.isStarted()) {
            return new ArrayList<>(stored.get());
        }
        Map<TurnKey, List<OpenStep>> byTurn = CurrentUnitOfWork.get().root()
                .getOrComputeResource(RESOURCE, key -> new HashMap<>());
        return byTurn.computeIfAbsent(new TurnKey(conversationId, turnId), key -> new ArrayList<>(stored.get()));
    }
}
