package io.convtrail.query.web;

import io.convtrail.api.ConversationIds;
import io.convtrail.api.refusal.RefusedException;

import java.util.UUID;

/** Validation of path and query parameters at the edge; a refusal is answered as problem+json by the advice. */
final class QueryParameters {

    private QueryParameters() {
    }

    static UUID uuid(String name, String text) {
        return ConversationIds.parse(text).orElseThrow(() -> invalid(name, "must be a UUID"));
    }

    static RefusedException invalid(String name, String detail) {
        return RefusedException.invalid(name, detail);
    }
}
