package io.convtrail.command.flow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.convtrail.command.flow.FlowDefinition.Condition;
import io.convtrail.command.flow.FlowDefinition.Fallback;
import io.convtrail.command.flow.FlowDefinition.IntentDef;
import io.convtrail.command.flow.FlowDefinition.PolicyDef;
import io.convtrail.command.flow.FlowDefinition.Reset;
import io.convtrail.command.flow.FlowDefinition.ResponseDef;
import io.convtrail.command.flow.FlowDefinition.ResponseType;
import io.convtrail.command.flow.FlowDefinition.RuleAction;
import io.convtrail.command.flow.FlowDefinition.RuleDef;
import io.convtrail.command.flow.FlowDefinition.Schema;
import io.convtrail.command.flow.FlowDefinition.SlotDef;
import io.convtrail.command.flow.FlowDefinition.SlotType;
import io.convtrail.command.flow.FlowDefinition.StateDef;
import io.convtrail.command.flow.FlowDefinition.ToolDef;
import io.convtrail.command.flow.FlowDefinition.VerboseDef;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads one flow file into a {@link FlowDefinition}. Every problem is reported with the file and
 * the path inside it; references between parts (states, intents, tools) are checked by
 * {@link FlowReferences} once the parts are read.
 */
public final class FlowParser {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private FlowParser() {
    }

    public static FlowDefinition parse(String file, byte[] content) {
        JsonNode tree;
        try {
            tree = YAML.readTree(content);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new FlowDefinitionException(file, where, "not valid YAML: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new FlowDefinitionException(file, "", "cannot be read: " + e.getMessage());
        }
        if (tree == null || tree.isMissingNode()) {
            throw new FlowDefinitionException(file, "", "the file is empty");
        }
        YamlNode root = new YamlNode(file, "", tree).allowOnly(Set.of("id", "version", "description",
                "initialState", "states", "transitions", "fallback", "reset", "policies", "intents", "rules",
                "tools", "responses", "verbose"));
        FlowDefinition flow = new FlowDefinition(root.text("id"), root.text("version"), file, sha256(content),
                root.text("initialState"), states(root), transitions(root), fallback(root), reset(root),
                policies(root), intents(root), rules(root), tools(root), responses(root), verbose(root));
        FlowReferences.check(root, flow);
        return flow;
    }

    private static Map<String, StateDef> states(YamlNode root) {
        Map<String, StateDef> states = new LinkedHashMap<>();
        for (YamlNode s : root.list("states")) {
            s.allowOnly(Set.of("name", "terminal"));
            StateDef state = new StateDef(s.text("name"), Boolean.TRUE.equals(s.optionalBoolean("terminal")));
            if (states.put(state.name(), state) != null) {
                throw s.field("name").fail("state '" + state.name() + "' is declared twice");
            }
        }
        if (states.isEmpty()) {
            throw root.field("states").fail("at least one state is required");
        }
        return states;
    }

    private static Map<String, Set<String>> transitions(YamlNode root) {
        Map<String, Set<String>> transitions = new LinkedHashMap<>();
        root.entries("transitions").forEach((from, targets) ->
                transitions.put(from, new LinkedHashSet<>(root.field("transitions").textList(from))));
        return transitions;
    }

    private static Fallback fallback(YamlNode root) {
        YamlNode f = root.field("fallback").allowOnly(Set.of("intent", "state"));
        return new Fallback(f.text("intent"), f.text("state"));
    }

    private static Reset reset(YamlNode root) {
        YamlNode r = root.field("reset").allowOnly(Set.of("keywords", "response"));
        return new Reset(r.textList("keywords"), FlowTemplates.compile(r.field("response"), r.text("response")));
    }

    private static List<PolicyDef> policies(YamlNode root) {
        List<PolicyDef> policies = new ArrayList<>();
        for (YamlNode p : root.list("policies")) {
            p.allowOnly(Set.of("id", "pattern", "message"));
            policies.add(new PolicyDef(p.text("id"), regex(p, "pattern"),
                    FlowTemplates.compile(p.field("message"), p.text("message"))));
        }
        return policies;
    }

    private static List<IntentDef> intents(YamlNode root) {
        List<IntentDef> intents = new ArrayList<>();
        for (YamlNode i : root.list("intents")) {
            i.allowOnly(Set.of("code", "priority", "initialState", "match", "schema"));
            List<InputMatcher> matchers = new ArrayList<>();
            for (YamlNode m : i.list("match")) {
                matchers.add(matcher(m));
            }
            if (matchers.isEmpty()) {
                throw i.field("match").fail("at least one pattern (regex, contains or startsWith) is required");
            }
            intents.add(new IntentDef(i.text("code"), i.optionalInt("priority", 0), i.text("initialState"),
                    matchers, i.has("schema") ? schema(i.field("schema")) : null));
        }
        return intents;
    }

    private static InputMatcher matcher(YamlNode m) {
        m.allowOnly(Set.of("regex", "contains", "startsWith"));
        if (m.node().size() != 1) {
            throw m.fail("give exactly one of regex, contains or startsWith");
        }
        if (m.has("regex")) {
            return new InputMatcher(InputMatcher.Kind.REGEX, m.text("regex"), regex(m, "regex"));
        }
        if (m.has("contains")) {
            return new InputMatcher(InputMatcher.Kind.CONTAINS, m.text("contains"), null);
        }
        return new InputMatcher(InputMatcher.Kind.STARTS_WITH, m.text("startsWith"), null);
    }

    private static Schema schema(YamlNode s) {
        s.allowOnly(Set.of("state", "slots"));
        List<SlotDef> slots = new ArrayList<>();
        for (YamlNode slot : s.list("slots")) {
            slots.add(slot(slot));
        }
        if (slots.isEmpty()) {
            throw s.field("slots").fail("a schema needs at least one slot");
        }
        return new Schema(s.text("state"), slots);
    }

    private static SlotDef slot(YamlNode s) {
        s.allowOnly(Set.of("name", "type", "required", "question", "invalidMessage", "min", "max", "values",
                "pattern"));
        SlotType type = enumValue(s, "type", SlotType.class);
        List<String> values = s.textList("values");
        if (type == SlotType.ENUM && values.isEmpty()) {
            throw s.field("values").fail("an enum slot needs its list of values");
        }
        Pattern pattern = s.has("pattern") ? regex(s, "pattern") : null;
        if (type == SlotType.REGEX && pattern == null) {
            throw s.field("pattern").fail("a regex slot needs a pattern");
        }
        Boolean required = s.optionalBoolean("required");
        return new SlotDef(s.text("name"), type, required == null || required, s.text("question"),
                s.optionalText("invalidMessage"), s.optionalNumber("min"), s.optionalNumber("max"), values, pattern);
    }

    static Condition condition(YamlNode c) {
        c.allowOnly(Set.of("intent", "state", "schemaComplete", "input"));
        return new Condition(c.optionalText("intent"), c.optionalText("state"), c.optionalBoolean("schemaComplete"),
                c.has("input") ? regex(c, "input") : null);
    }

    private static List<RuleDef> rules(YamlNode root) {
        List<RuleDef> rules = new ArrayList<>();
        for (YamlNode r : root.list("rules")) {
            r.allowOnly(Set.of("id", "when", "then"));
            List<RuleAction> actions = new ArrayList<>();
            for (YamlNode a : r.list("then")) {
                actions.add(action(a));
            }
            if (actions.isEmpty()) {
                throw r.field("then").fail("a rule needs at least one action");
            }
            rules.add(new RuleDef(r.text("id"), condition(r.field("when")), actions));
        }
        return rules;
    }

    private static RuleAction action(YamlNode a) {
        a.allowOnly(Set.of("setState", "setIntent", "setSlot", "callTool"));
        if (a.node().size() != 1) {
            throw a.fail("give exactly one of setState, setIntent, setSlot or callTool");
        }
        if (a.has("setState")) {
            return new RuleAction.SetState(a.text("setState"));
        }
        if (a.has("setIntent")) {
            return new RuleAction.SetIntent(a.text("setIntent"));
        }
        if (a.has("callTool")) {
            return new RuleAction.CallTool(a.text("callTool"));
        }
        YamlNode slot = a.field("setSlot").allowOnly(Set.of("name", "value"));
        return new RuleAction.SetSlot(slot.text("name"), FlowTemplates.compile(slot.field("value"), slot.text("value")));
    }

    private static List<ToolDef> tools(YamlNode root) {
        List<ToolDef> tools = new ArrayList<>();
        for (YamlNode t : root.list("tools")) {
            t.allowOnly(Set.of("code", "when", "verbose"));
            YamlNode v = t.field("verbose").allowOnly(Set.of("before", "success", "error"));
            tools.add(new ToolDef(t.text("code"), t.has("when") ? condition(t.field("when")) : null,
                    FlowTemplates.compile(v.field("before"), v.text("before")),
                    FlowTemplates.compile(v.field("success"), v.text("success")),
                    FlowTemplates.compile(v.field("error"), v.text("error"))));
        }
        return tools;
    }

    private static List<ResponseDef> responses(YamlNode root) {
        List<ResponseDef> responses = new ArrayList<>();
        for (YamlNode r : root.list("responses")) {
            r.allowOnly(Set.of("id", "intent", "state", "type", "template"));
            responses.add(new ResponseDef(r.text("id"), r.text("intent"), r.optionalText("state"),
                    r.has("type") ? enumValue(r, "type", ResponseType.class) : ResponseType.TEXT,
                    FlowTemplates.compile(r.field("template"), r.text("template"))));
        }
        return responses;
    }

    private static List<VerboseDef> verbose(YamlNode root) {
        List<VerboseDef> verbose = new ArrayList<>();
        for (YamlNode v : root.list("verbose")) {
            v.allowOnly(Set.of("step", "determinant", "intent", "state", "ruleId", "text"));
            verbose.add(new VerboseDef(v.text("step"), v.text("determinant"), v.optionalText("intent"),
                    v.optionalText("state"), v.optionalText("ruleId"),
                    FlowTemplates.compile(v.field("text"), v.text("text"))));
        }
        return verbose;
    }

    private static Pattern regex(YamlNode at, String field) {
        try {
            return Pattern.compile(at.text(field), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        } catch (PatternSyntaxException e) {
            throw at.field(field).fail("not a valid regular expression: " + e.getDescription()
                    + " near index " + e.getIndex());
        }
    }

    private static <E extends Enum<E>> E enumValue(YamlNode at, String field, Class<E> type) {
        String text = at.text(field);
        try {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw at.field(field).fail("'" + text + "' is not one of " + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}
