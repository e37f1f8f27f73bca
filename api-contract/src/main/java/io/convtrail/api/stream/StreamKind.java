package io.convtrail.api.stream;

/**
 * What a stream envelope carries, its {@code eventType} on the wire (the name is the wire value):
 * {@code AUDIT} a stage record, {@code VERBOSE} a verbose message (both ConvEngine's v2.0.8 contract,
 * and the {@code kind} of an {@code audit_event} row), {@code TURN} a turn boundary, sent only to
 * SSE clients that ask for it ({@code turns=true}), never to ConvEngine clients.
 */
public enum StreamKind {
    AUDIT,
    VERBOSE,
    TURN
}
