package io.convtrail.command.web;

import io.convtrail.api.ConversationIds;
import io.convtrail.api.refusal.RefusedException;

import java.util.UUID;

final class Uuids {

    private Uuids() {
    }

    static UUID parse(String field, String text) {
        return ConversationIds.parse(text).orElseThrow(() ->
                RefusedException.invalid(field, "must be a UUID (got '" + abbreviate(text) + "')"));
    }

    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "…";
    }
}
