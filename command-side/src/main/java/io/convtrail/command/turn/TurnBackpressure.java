package io.convtrail.command.turn;

/**
 * Holds a new turn back while the read side is too far behind the event store, so turns run no
 * faster than the projections that record them can follow. Refuses the turn with a
 * {@link io.convtrail.api.refusal.RefusedException} when it waited too long; nothing of it is
 * recorded then. The application provides it (the read side lives in another module).
 */
public interface TurnBackpressure {

    /** Returns when the turn may start; throws a refusal when it may not in time. */
    void awaitReadSide();
}
