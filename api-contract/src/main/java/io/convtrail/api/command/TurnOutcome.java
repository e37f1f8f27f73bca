package io.convtrail.api.command;

/** How a turn ended. */
public enum TurnOutcome {
    ANSWERED,
    BLOCKED,
    FAILED,
    ABANDONED
}
