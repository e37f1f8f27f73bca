package io.convtrail.command.engine.step;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.api.Stage;
import io.convtrail.command.turn.Answer;
import io.convtrail.command.turn.EngineFailure;
import io.convtrail.command.engine.EngineStep;
import io.convtrail.command.engine.StepOutcome;
import io.convtrail.command.engine.TurnSession;
import io.convtrail.command.engine.TurnSession.PreparedAnswer;
import io.convtrail.command.engine.llm.LlmClient;
import io.convtrail.command.flow.FlowDefinition.ResponseDef;
import io.convtrail.command.flow.FlowDefinition.ResponseType;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides the answer: the one a policy or reset prepared, else the flow's response for the intent in
 * its current state (a state-specific response before the intent's general one). A turn the flow
 * has no answer for is a known failure, not an empty reply.
 */
public class ResponseResolutionStep implements EngineStep {

    private final ObjectMapper json;
    private final LlmClient llm;

    /** @param llm null when no LLM is configured; startup refuses flows that would need one */
    public ResponseResolutionStep(ObjectMapper json, LlmClient llm) {
        this.json = json;
        this.llm = llm;
    }

    @Override
    public StepOutcome run(TurnSession session) {
        PreparedAnswer prepared = session.prepared();
        if (prepared != null) {
            resolved(session, prepared.responseId(), prepared.source(), ResponseType.TEXT);
            answer(session, "TEXT", prepared.text(), "EXACT");
            return StepOutcome.Continue;
        }
        ResponseDef response = find(session).orElseThrow(() -> new EngineFailure("RESPONSE_NOT_FOUND",
                "The flow has no response for intent " + session.intent() + " in state " + session.state(),
                false, null));
        resolved(session, response.id(), "FLOW", response.type());
        String rendered = session.render(response.template(), Map.of());
        switch (response.type()) {
            case TEXT -> answer(session, "TEXT", rendered, "TEMPLATE");
            case JSON -> answer(session, "JSON", checkedJson(response, rendered), "TEMPLATE");
            case LLM -> {
                session.record().flush();
                answer(session, "TEXT", llm.complete(rendered), "LLM");
            }
        }
        return StepOutcome.Continue;
    }

    private static Optional<ResponseDef> find(TurnSession session) {
        return session.flow().responses().stream()
                .filter(r -> r.intent().equals(session.intent()) && Objects.equals(r.state(), session.state()))
                .findFirst()
                .or(() -> session.flow().responses().stream()
                        .filter(r -> r.intent().equals(session.intent()) && r.state() == null).findFirst());
    }

    private static void resolved(TurnSession session, String responseId, String source, ResponseType type) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("responseId", responseId);
        fields.put("source", source);
        fields.put("responseType", type.name());
        fields.put("intent", session.intent());
        fields.put("state", session.state());
        session.record().stage(Stage.RESOLVE_RESPONSE, fields);
    }

    private static void answer(TurnSession session, String format, String output, String responseType) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("output", output);
        fields.put("outputFormat", format);
        fields.put("responseType", responseType);
        fields.put("intent", session.intent());
        fields.put("state", session.state());
        session.record().stage(Stage.ASSISTANT_OUTPUT, fields);
        session.answer(new Answer(format, output));
    }

    private String checkedJson(ResponseDef response, String rendered) {
        try {
            json.readTree(rendered);
            return rendered;
        } catch (JsonProcessingException e) {
            throw new EngineFailure("RESPONSE_INVALID_JSON", "Response " + response.id()
                    + " did not render to valid JSON: " + e.getOriginalMessage(), false, e);
        }
    }
}
