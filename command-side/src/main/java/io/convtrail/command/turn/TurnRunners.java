package io.convtrail.command.turn;

import java.util.UUID;

/**
 * Which processes run turns. Every turn records the id of the process (one run of one node) that
 * runs it, so that a turn left open by a process that is gone can be closed at once instead of
 * after the abandon timeout, while a turn another live process is running is never touched.
 */
public interface TurnRunners {

    /** This process's runner id: new at every start. */
    UUID self();

    /** Whether another runner is known to be gone (stopped, crashed and restarted, or silent too long). */
    boolean isGone(UUID runnerId);
}
