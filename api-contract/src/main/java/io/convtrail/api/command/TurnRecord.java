package io.convtrail.api.command;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.convtrail.api.Stage;
import io.convtrail.api.event.VerboseMessage;

import java.time.Instant;

/** One thing the engine recorded during a turn: an audit stage or a verbose progress message. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = TurnRecord.StageRecord.class, name = "STAGE"),
        @JsonSubTypes.Type(value = TurnRecord.VerboseRecord.class, name = "VERBOSE")
})
public sealed interface TurnRecord {

    Instant createdAt();

    /** An audit stage; {@code payloadJson} is the stage payload, {@code _meta} included. */
    record StageRecord(Stage stage, String payloadJson, Instant createdAt) implements TurnRecord {
    }

    /** A human-readable progress or error message shown to streaming clients. */
    record VerboseRecord(VerboseMessage verbose, Instant createdAt) implements TurnRecord {
    }
}
