package io.convtrail.command.web;

import java.util.UUID;

final class Uuids {

    private Uuids() {
    }

    static UUID parse(String field, String text) {
        try {
            UUID id = UUID.fromString(text);
            if (!id.toString().equalsIgnoreCase(text)) {
                throw new IllegalArgumentException("not canonical");
            }
            return id;
        } catch (IllegalArgumentException e) {
            throw InvalidRequestException.badRequest(field, "must be a UUID (got '" + abbreviate(text) + "')");
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "…";
    }
}
