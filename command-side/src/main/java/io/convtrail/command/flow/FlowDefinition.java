package io.convtrail.command.flow;

import com.samskivert.mustache.Template;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One loaded, validated flow: everything the engine needs to decide a turn. Built only by
 * {@link FlowParser}, so every reference in it (states, intents, tools) is known to exist.
 *
 * @param source      the file it was read from, for messages
 * @param contentHash SHA-256 of the file, recorded on every turn
 */
public record FlowDefinition(
        String id,
        String version,
        String source,
        String contentHash,
        String initialState,
        Map<String, StateDef> states,
        Map<String, Set<String>> transitions,
        Fallback fallback,
        Reset reset,
        List<PolicyDef> policies,
        List<IntentDef> intents,
        List<RuleDef> rules,
        List<ToolDef> tools,
        List<ResponseDef> responses,
        List<VerboseDef> verbose) {

    public Optional<IntentDef> intent(String code) {
        return intents.stream().filter(i -> i.code().equals(code)).findFirst();
    }

    public boolean isTerminal(String state) {
        StateDef def = states.get(state);
        return def != null && def.terminal();
    }

    public boolean allowsTransition(String from, String to) {
        return transitions.getOrDefault(from, Set.of()).contains(to);
    }

    public record StateDef(String name, boolean terminal) {
    }

    /** The intent and state a turn gets when nothing matched. */
    public record Fallback(String intent, String state) {
    }

    /** Words that reset the conversation when they are the whole message, and what to answer. */
    public record Reset(List<String> keywords, Template response) {

        public boolean isResetText(String text) {
            return text != null && keywords.stream().anyMatch(k -> k.equalsIgnoreCase(text.strip()));
        }
    }

    public record PolicyDef(String id, Pattern pattern, Template message) {
    }

    /** How an intent is recognised: the highest priority wins, then the first declared. */
    public record IntentDef(String code, int priority, String initialState, List<InputMatcher> match, Schema schema) {
    }

    /** The slots an intent collects while it is in {@code state}. */
    public record Schema(String state, List<SlotDef> slots) {
    }

    public record SlotDef(String name, SlotType type, boolean required, String question, String invalidMessage,
                          Double min, Double max, List<String> values, Pattern pattern) {
    }

    public enum SlotType { REGEX, NUMBER, ENUM, DATE, EMAIL }

    /** A condition on the turn: every field that is set must hold. */
    public record Condition(String intent, String state, Boolean schemaComplete, Pattern input) {
    }

    public record RuleDef(String id, Condition when, List<RuleAction> then) {
    }

    /** What a rule does when it matches. */
    public sealed interface RuleAction {
        record SetState(String state) implements RuleAction {
        }

        record SetIntent(String intent) implements RuleAction {
        }

        record SetSlot(String name, Template value) implements RuleAction {
        }

        record CallTool(String tool) implements RuleAction {
        }
    }

    /** A tool the flow may call, when {@code when} holds (null: only when a rule calls it). */
    public record ToolDef(String code, Condition when, Template before, Template success, Template error) {
    }

    public enum ResponseType { TEXT, JSON, LLM }

    /** An answer for an intent, optionally narrowed to a state; for LLM the template is the prompt. */
    public record ResponseDef(String id, String intent, String state, ResponseType type, Template template) {
    }

    /** A progress text shown when {@code step} reaches {@code determinant}, narrowed by the optional fields. */
    public record VerboseDef(String step, String determinant, String intent, String state, String ruleId,
                             Template text) {
    }
}
