package io.convtrail.testsupport.fuzz;

/**
 * What a hostile request may get back, and what the service's log may show meanwhile: the one
 * definition the CI fuzz test and the bench's long run both judge by.
 */
public final class FuzzVerdict {

    private FuzzVerdict() {
    }

    /**
     * Null when the answer is acceptable: below 500, no stack trace or exception name in the body (an
     * export may name the exceptions it recorded, the metrics the exceptions they count), a refusal (4xx,
     * except to HEAD, which has no body) as problem+json, and no stream opened (the generator never makes
     * a request that should open one).
     */
    public static String judge(HostileRequests.Request request, int status, String contentType, String body) {
        String type = contentType == null ? "" : contentType;
        if (status >= 500) {
            return "server error";
        }
        // an export (NDJSON) is the stored record, which names the exceptions the engine recorded (STEP_ERROR
        // payloads); a stack trace could still only show as a raw tab, which JSON text never holds
        boolean storedRecord = type.startsWith("application/x-ndjson");
        // the Prometheus exposition names exception classes in its tags by convention (exception="…", the
        // refusals and failures counted), never a stack trace
        boolean metrics = type.startsWith("text/plain;version=0.0.4") || type.startsWith("application/openmetrics-text");
        if (body.contains("\tat ") || (!storedRecord && !metrics && body.contains("Exception"))) {
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

    /**
     * Whether a request that got no answer at all was refused at the connection: a body over the
     * service's default limit (64 KB) sent to a path Tomcat itself rejects. Tomcat answers 400 and
     * closes without reading the rest of the body, and the client, still sending, may see the
     * connection reset before it reads the answer. Anything else without an answer is a failure.
     */
    public static boolean refusedAtTheConnection(HostileRequests.Request request, Throwable failure) {
        boolean io = false;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            io |= cause instanceof java.io.IOException;
        }
        return io && request.body() != null && request.body().length > 64 * 1024;
    }

    /** A line of a multi-line stack trace, or an ERROR line, in the service's log. */
    public static boolean isTraceOrError(String logLine) {
        return logLine.matches("\\s+at [\\w.$<>/]+\\(.*") || logLine.startsWith("Caused by: ")
                || logLine.contains(" ERROR ") || logLine.contains("Exception");
    }
}
