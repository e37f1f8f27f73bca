package io.convtrail.command.engine;

import com.samskivert.mustache.Template;
import io.convtrail.api.command.ConversationState;
import io.convtrail.api.event.TurnOutcome;
import io.convtrail.command.flow.FlowDefinition;
import io.convtrail.command.turn.Answer;
import io.convtrail.command.turn.TurnInput;
import io.convtrail.command.turn.TurnJournal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one turn knows while the pipeline runs: the flow, the input, the conversation as the steps
 * change it, and what they decided for the answer. Steps read and change it; they write their
 * records through its {@link TurnRecorder} ({@link #record()}), which stamps them with the
 * conversation's current intent and state.
 */
public final class TurnSession {

    /** A transition a rule asked for, checked by the state graph step. */
    public record Transition(String ruleId, String fromState, String toState) {
    }

    /** An answer decided before response resolution (a policy block, a reset). */
    public record PreparedAnswer(String responseId, String source, String text) {
    }

    private final FlowDefinition flow;
    private final TurnInput input;
    private final TurnRecorder recorder;
    private String intent;
    private String state;
    private Map<String, Object> slots = new LinkedHashMap<>();
    private Map<String, Object> context = new LinkedHashMap<>();
    private SchemaStatus schema = SchemaStatus.NONE;
    private PreparedAnswer prepared;
    private TurnOutcome outcome = TurnOutcome.ANSWERED;
    private Answer answer;
    private final List<Transition> transitions = new ArrayList<>();

    public TurnSession(FlowDefinition flow, TurnInput input, TurnJournal journal) {
        this.flow = flow;
        this.input = input;
        this.recorder = new TurnRecorder(this, journal);
    }

    public FlowDefinition flow() {
        return flow;
    }

    public TurnInput input() {
        return input;
    }

    /** The user's text; null for a bare reset. */
    public String message() {
        return input.message();
    }

    /** Where steps record stages and progress texts. */
    public TurnRecorder record() {
        return recorder;
    }

    public String intent() {
        return intent;
    }

    public String state() {
        return state;
    }

    public void moveTo(String intent, String state) {
        this.intent = intent;
        this.state = state;
    }

    public void setState(String state) {
        this.state = state;
    }

    public Map<String, Object> slots() {
        return slots;
    }

    public Map<String, Object> context() {
        return context;
    }

    /** Replaces slots and context (loading the conversation, or a reset). */
    public void restore(Map<String, Object> slots, Map<String, Object> context) {
        this.slots = new LinkedHashMap<>(slots == null ? Map.of() : slots);
        this.context = new LinkedHashMap<>(context == null ? Map.of() : context);
    }

    /** The conversation as the steps have left it so far. */
    public ConversationState conversation() {
        return new ConversationState(intent, state, slots, context);
    }

    public SchemaStatus schema() {
        return schema;
    }

    public void schema(SchemaStatus schema) {
        this.schema = schema;
    }

    public PreparedAnswer prepared() {
        return prepared;
    }

    public void prepare(PreparedAnswer answer, TurnOutcome outcome) {
        this.prepared = answer;
        this.outcome = outcome;
    }

    public TurnOutcome outcome() {
        return outcome;
    }

    public Answer answer() {
        return answer;
    }

    public void answer(Answer answer) {
        this.answer = answer;
    }

    public List<Transition> transitions() {
        return transitions;
    }

    /** Renders a flow template against the conversation as it is now. */
    public String render(Template template, Map<String, ?> extra) {
        return template.execute(model(extra));
    }

    public Map<String, Object> model(Map<String, ?> extra) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("intent", intent);
        model.put("state", state);
        model.put("input", message());
        model.put("slots", slots);
        model.put("context", context);
        model.put("schema", schema.asModel());
        model.putAll(extra);
        return model;
    }
}
