package io.convtrail.command.turn;

/**
 * The port between the turn lifecycle and whatever decides a turn. An engine records every decision
 * through the journal and calls {@link TurnJournal#flush()} before anything that may block, so
 * streaming clients see progress while the turn runs.
 */
public interface ConversationEngine {

    /** The flow this engine runs: recorded on every turn so an audit can tell which version answered. */
    FlowIdentity flow();

    /**
     * Runs one turn. Failures inside the flow are the engine's to record (STEP_ERROR, ENGINE_*_FAILURE)
     * and to answer with a failed result; an exception escaping here is recorded by the turn service.
     */
    TurnResult run(TurnInput input, TurnJournal journal);
}
