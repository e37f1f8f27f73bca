package io.convtrail.command.engine.step;

import io.convtrail.api.Stage;
import io.convtrail.command.engine.StageFields;
import io.convtrail.command.engine.EngineStep;
import io.convtrail.command.engine.StepOutcome;
import io.convtrail.command.engine.TurnSession;
import io.convtrail.command.flow.FlowDefinition.IntentDef;
import io.convtrail.command.flow.InputMatcher;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Classifies the input against the flow's intent patterns (highest priority wins, then the first
 * declared). An intent that is still running (its state is not terminal) is locked: input that
 * matches nothing, such as an answer to its question, stays with it.
 */
public class IntentResolutionStep implements EngineStep {

    private record Match(IntentDef intent, InputMatcher matcher) {
    }

    @Override
    public StepOutcome run(TurnSession session) {
        String previous = session.intent();
        boolean locked = previous != null && session.flow().intent(previous).isPresent()
                && !session.flow().isTerminal(session.state());
        Map<String, Object> start = new LinkedHashMap<>();
        start.put("previousIntent", previous);
        start.put("previousState", session.state());
        start.put("intentLocked", locked);
        session.record().stage(Stage.INTENT_RESOLVE_START, start);

        Optional<Match> match = classify(session);
        if (match.isEmpty()) {
            Map<String, Object> noMatch = new LinkedHashMap<>();
            noMatch.put("previousIntent", previous);
            noMatch.put("intentKept", locked);
            session.record().stage(Stage.INTENT_CLASSIFIER_NO_MATCH, noMatch);
            if (!locked) {
                session.moveTo(null, session.state());
            }
            return StepOutcome.Continue;
        }
        IntentDef intent = match.get().intent();
        session.record().stage(Stage.INTENT_CLASSIFICATION_MATCHED, StageFields.of("intent", intent.code(),
                "matchedBy", match.get().matcher().kind().name(), "pattern", match.get().matcher().value(),
                "priority", intent.priority()));
        if (locked && intent.code().equals(previous)) {
            session.record().stage(Stage.INTENT_RESOLVE_NO_CHANGE, StageFields.of("intent", previous));
            return StepOutcome.Continue;
        }
        session.moveTo(intent.code(), intent.initialState());
        session.restore(Map.of(), session.context());
        session.record().stage(Stage.INTENT_RESOLVED_BY_CLASSIFIER, StageFields.of("intent", intent.code(),
                "state", intent.initialState()));
        session.record().progress(this, "INTENT_RESOLVED", null, Map.of());
        return StepOutcome.Continue;
    }

    private static Optional<Match> classify(TurnSession session) {
        return session.flow().intents().stream()
                .flatMap(i -> i.match().stream().filter(m -> m.matches(session.message())).findFirst()
                        .map(m -> new Match(i, m)).stream())
                .max(Comparator.comparingInt(m -> m.intent().priority()));
    }
}
