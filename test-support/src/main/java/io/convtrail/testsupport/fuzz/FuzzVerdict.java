package io.convtrail.testsupport.fuzz;

/**
 * What a hostile request may get back, and what the service's log may show meanwhile: the one
 * definition the CI fuzz test and the bench's long run both judge by.
 */
public final class FuzzVerdict {

    private FuzzVerdict() {
    }

    /**
     * Null when the answer is acceptable: below 500, no stack trace or exception name in the body, a
     * refusal (4xx, except to HEAD, which has no body) as problem+json, and no stream opened (the
     * generator never makes a request that should open one).
     */
    public static String judge(HostileRequests.Request request, int status, String contentType, String body) {
        String type = contentType == null ? "" : contentType;
        if (status >= 500) {
            return "server error";
        }
        if (body.contains("\tat ") || body.contains("Exception")) {
            return "stack trace or exception in the body";
        }
        if (status >= 400 && !request.method().equals("HEAD") && !type.startsWith("application/problem+json")) {
            return "refusal not as problem+json";
        }
        if (status == 200 && type.startsWith("text/event-stream") && !request.method().equals("HEAD")) {
            return "a stream was opened";
        }
        return null;
    }

    /** A line of a multi-line stack trace, or an ERROR line, in the service's log. */
    public static boolean isTraceOrError(String logLine) {
        return logLine.matches("\\s+at [\\w.$<>/]+\\(.*") || logLine.startsWith("Caused by: ")
                || logLine.contains(" ERROR ") || logLine.contains("Exception");
    }
}
