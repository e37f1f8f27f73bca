package io.convtrail.command.engine;

import io.convtrail.api.Stage;
import io.convtrail.api.command.TurnOutcome;
import io.convtrail.api.event.VerboseMessage;
import io.convtrail.api.rest.ConversationResponse.ResponsePayload;
import io.convtrail.command.turn.ConversationEngine;
import io.convtrail.command.turn.FlowIdentity;
import io.convtrail.command.turn.TurnInput;
import io.convtrail.command.turn.TurnJournal;
import io.convtrail.command.turn.TurnResult;
import org.springframework.stereotype.Component;

import java.util.Map;

/** The foundation's vertical slice: records the input and acknowledges it. Replaced by the flow engine. */
@Component
public class SliceEngine implements ConversationEngine {

    private static final FlowIdentity FLOW = new FlowIdentity("slice", "none");

    @Override
    public FlowIdentity flow() {
        return FLOW;
    }

    @Override
    public TurnResult run(TurnInput input, TurnJournal journal) {
        String intent = "UNKNOWN";
        String state = "IDLE";
        journal.stage(Stage.USER_INPUT, intent, state, Map.of("text", input.message() == null ? "" : input.message()));
        journal.verbose(new VerboseMessage(null, "VERBOSE_PROGRESS", "SliceEngine", "USER_INPUT", intent, state,
                null, null, "INFO", "Message received.", Map.of()));
        String answer = "Received: " + input.message();
        journal.stage(Stage.ASSISTANT_OUTPUT, intent, state, Map.of("output", answer, "outputFormat", "TEXT"));
        return new TurnResult(TurnOutcome.ANSWERED, intent, state, Map.of(), Map.of(),
                new ResponsePayload("TEXT", answer));
    }
}
