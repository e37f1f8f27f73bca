package io.convtrail.app.reader;

import org.axonframework.eventhandling.TrackingToken;

/**
 * A token store that can store the tokens of several segments this node holds in one statement: a reader's
 * batch stores all of them before it commits, and each statement is a round trip that the batch's rows, and
 * the live streams after them, wait for.
 */
public interface OwnedTokens {

    /**
     * Stores each segment's token, in the caller's transaction, where this node holds the segment; answers
     * whether it held every one of them (false: some were not written, and are to be stored one by one, which
     * claims them or fails).
     */
    boolean storeOwned(String processorName, int[] segments, TrackingToken[] tokens);
}
