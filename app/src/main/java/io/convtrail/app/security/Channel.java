package io.convtrail.app.security;

import java.util.Locale;

/** Where a call came in; the tag of {@code convtrail.security.denied} and a column of the access log. */
enum Channel {
    HTTP, SSE, STOMP;

    String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
