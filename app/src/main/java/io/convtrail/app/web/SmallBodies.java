package io.convtrail.app.web;

import jakarta.servlet.http.HttpServletRequest;

import java.io.IOException;

/**
 * Refusals answered before the application reads the body, by a connection that then closes (Tomcat
 * closes after a 400 it raises itself, or one of Spring Security's firewall): the client may still be
 * sending the body when the answer and the close reach it, and bytes arriving on a closed socket are
 * answered with a reset, which makes the client lose the answer ("header parser received no bytes").
 * Reading a small declared body first lets the client finish sending and then read the answer. A body
 * over the body limit is not waited for: the client gets the answer or a reset, as for a 413.
 */
final class SmallBodies {

    static final int DRAIN_LIMIT = 64 * 1024;

    private SmallBodies() {
    }

    static void drain(HttpServletRequest request) throws IOException {
        long length = request.getContentLengthLong();
        if (length > 0 && length <= DRAIN_LIMIT) {
            request.getInputStream().readNBytes(DRAIN_LIMIT);
        }
    }

    /**
     * For an error report, which must be written whatever happened to the body: a body already read
     * through the reader (the input stream is then refused), one the client stopped sending, or one
     * behind a head Tomcat could not parse is left as it is.
     */
    static void drainQuietly(HttpServletRequest request) {
        try {
            drain(request);
        } catch (IOException | IllegalStateException | IllegalArgumentException unreadable) {
            // answered all the same, and the connection closes after it; Tomcat's input refuses to read
            // when the request's head was refused (IllegalArgumentException: "Request header is too large")
        }
    }
}
