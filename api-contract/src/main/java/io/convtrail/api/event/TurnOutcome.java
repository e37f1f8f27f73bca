package io.convtrail.api.event;

/**
 * How a turn ended, as {@link TurnCompletedEvent} records it. Stored by its constant's name (the
 * events are JSON): the enum's own class name is never stored, so it may move between packages.
 */
public enum TurnOutcome {
    ANSWERED,
    BLOCKED,
    FAILED,
    ABANDONED
}
