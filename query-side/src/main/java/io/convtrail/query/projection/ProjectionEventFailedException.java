package io.convtrail.query.projection;

/**
 * Thrown in place of a projection's own failure the first time an event fails, so the processor
 * retries the batch and the event is then applied alone. It carries no stack trace and no cause:
 * the processor logs it on every retry, and one line says all there is to say (the cause, with the
 * event's data, goes to the quarantine table if the event fails again).
 */
public class ProjectionEventFailedException extends RuntimeException {

    ProjectionEventFailedException(String processor, String eventId, ProjectionFailure failure) {
        super("projection " + processor + " failed on event " + eventId + " with " + failure.summary()
                + "; the batch is retried with this event isolated", null, false, false);
    }

    ProjectionEventFailedException(String processor, int events, ProjectionFailure failure) {
        super("projection " + processor + " failed writing a batch of " + events + " events with "
                + failure.summary() + "; the batch is retried with each event written alone", null, false, false);
    }
}
