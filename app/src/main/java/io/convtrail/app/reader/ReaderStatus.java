package io.convtrail.app.reader;

import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.MergedTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackingToken;

import java.util.OptionalLong;

/** One held segment as the reader last committed it, in the shape Axon's processors report their segments. */
record ReaderStatus(Segment segment, TrackingToken token, boolean caughtUp, Throwable error)
        implements EventTrackerStatus {

    @Override
    public Segment getSegment() {
        return segment;
    }

    @Override
    public boolean isCaughtUp() {
        return caughtUp;
    }

    @Override
    public boolean isReplaying() {
        return ReplayToken.isReplay(token);
    }

    @Override
    public boolean isMerging() {
        return MergedTrackingToken.isMergeInProgress(token);
    }

    @Override
    public OptionalLong mergeCompletedPosition() {
        return MergedTrackingToken.mergePosition(token);
    }

    @Override
    public TrackingToken getTrackingToken() {
        return token;
    }

    @Override
    public boolean isErrorState() {
        return error != null;
    }

    @Override
    public Throwable getError() {
        return error;
    }

    @Override
    public OptionalLong getCurrentPosition() {
        return token == null ? OptionalLong.empty() : token.position();
    }

    @Override
    public OptionalLong getResetPosition() {
        return ReplayToken.getTokenAtReset(token);
    }
}
