package io.convtrail.api.refusal;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request the service refuses, with its reason and a detail meant for the client. Thrown at any
 * layer (controller, turn service, aggregate); the web edge answers it as problem+json. It carries
 * no stack trace: a refusal is an answer, not a fault, and nothing should ever print one.
 */
public class RefusedException extends RuntimeException {

    private final Refusal reason;
    private final String field;
    private final Duration retryAfter;
    private final Map<String, Object> properties = new LinkedHashMap<>();

    public RefusedException(Refusal reason, String field, String detail, Duration retryAfter) {
        super(detail, null, false, false);
        this.reason = reason;
        this.field = field;
        this.retryAfter = retryAfter;
    }

    public RefusedException(Refusal reason, String detail) {
        this(reason, null, detail, null);
    }

    /** A field that fails validation; the detail names it. */
    public static RefusedException invalid(String field, String detail) {
        return new RefusedException(Refusal.INVALID_REQUEST, field, field + " " + detail, null);
    }

    public static RefusedException tooLarge(String field, String detail) {
        return new RefusedException(Refusal.TOO_LARGE, field, field + " " + detail, null);
    }

    /** Adds a property to the problem body (e.g. the conversationId a 409 is about). */
    public RefusedException with(String name, Object value) {
        properties.put(name, value);
        return this;
    }

    public Refusal reason() {
        return reason;
    }

    /** The request field, parameter or header at fault, or null. */
    public String field() {
        return field;
    }

    /** When a retry may succeed (rate limits), or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    public Map<String, Object> properties() {
        return Collections.unmodifiableMap(properties);
    }
}
