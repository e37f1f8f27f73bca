package io.convtrail.command.flow;

import com.samskivert.mustache.Template;
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

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

/**
 * Reads one flow file into a {@link FlowDefinition}: {@link FlowFileReader} binds and checks the
 * YAML as a {@link FlowFile}; this class compiles its regular expressions and templates and checks
 * what a field-by-field check cannot (one pattern per matcher, one action per step). References
 * between parts (states, intents, tools) are checked by {@link FlowReferences}. Every problem names
 * the file and the path inside it.
 */
public final class FlowParser {

    private final String file;

    private FlowParser(String file) {
        this.file = file;
    }

    public static FlowDefinition parse(String file, byte[] content) {
        FlowFile source = FlowFileReader.read(file, content);
        FlowDefinition flow = new FlowParser(file).definition(source, sha256(content));
        FlowReferences.check(file, flow);
        return flow;
    }

    private FlowDefinition definition(FlowFile f, String contentHash) {
        return new FlowDefinition(f.id(), f.version(), file, contentHash, f.initialState(), states(f.states()),
                transitions(f.transitions()), new Fallback(f.fallback().intent(), f.fallback().state()),
                new Reset(listOf(f.reset().keywords()), template("reset.response", f.reset().response())),
                each("policies", f.policies(), this::policy), each("intents", f.intents(), this::intent),
                each("rules", f.rules(), this::rule), each("tools", f.tools(), this::tool),
                each("responses", f.responses(), this::response), each("verbose", f.verbose(), this::verbose));
    }

    private Map<String, StateDef> states(List<FlowFile.State> declared) {
        Map<String, StateDef> states = new LinkedHashMap<>();
        for (int i = 0; i < declared.size(); i++) {
            StateDef state = new StateDef(declared.get(i).name(), Boolean.TRUE.equals(declared.get(i).terminal()));
            if (states.put(state.name(), state) != null) {
                throw fail("states[" + i + "].name", "state '" + state.name() + "' is declared twice");
            }
        }
        return states;
    }

    private static Map<String, Set<String>> transitions(Map<String, List<String>> declared) {
        Map<String, Set<String>> transitions = new LinkedHashMap<>();
        if (declared != null) {
            declared.forEach((from, targets) -> transitions.put(from, new LinkedHashSet<>(listOf(targets))));
        }
        return transitions;
    }

    private PolicyDef policy(String at, FlowFile.Policy p) {
        return new PolicyDef(p.id(), regex(at + ".pattern", p.pattern()), template(at + ".message", p.message()));
    }

    private IntentDef intent(String at, FlowFile.Intent i) {
        return new IntentDef(i.code(), i.priority() == null ? 0 : i.priority(), i.initialState(),
                each(at + ".match", i.match(), this::matcher), i.schema() == null ? null : schema(at + ".schema", i.schema()));
    }

    private InputMatcher matcher(String at, FlowFile.Matcher m) {
        exactlyOne(at, "give exactly one of regex, contains or startsWith", m.regex(), m.contains(), m.startsWith());
        if (m.regex() != null) {
            return new InputMatcher(InputMatcher.Kind.REGEX, m.regex(), regex(at + ".regex", m.regex()));
        }
        if (m.contains() != null) {
            return new InputMatcher(InputMatcher.Kind.CONTAINS, m.contains(), null);
        }
        return new InputMatcher(InputMatcher.Kind.STARTS_WITH, m.startsWith(), null);
    }

    private Schema schema(String at, FlowFile.Schema s) {
        return new Schema(s.state(), each(at + ".slots", s.slots(), this::slot));
    }

    private SlotDef slot(String at, FlowFile.Slot s) {
        List<String> values = listOf(s.values());
        if (s.type() == SlotType.ENUM && values.isEmpty()) {
            throw fail(at + ".values", "an enum slot needs its list of values");
        }
        if (s.type() == SlotType.REGEX && s.pattern() == null) {
            throw fail(at + ".pattern", "a regex slot needs a pattern");
        }
        Pattern pattern = s.pattern() == null ? null : regex(at + ".pattern", s.pattern());
        return new SlotDef(s.name(), s.type(), s.required() == null || s.required(), s.question(),
                s.invalidMessage(), s.min(), s.max(), values, pattern);
    }

    private Condition condition(String at, FlowFile.Condition c) {
        return c == null ? null : new Condition(c.intent(), c.state(), c.schemaComplete(),
                c.input() == null ? null : regex(at + ".input", c.input()));
    }

    private RuleDef rule(String at, FlowFile.Rule r) {
        return new RuleDef(r.id(), condition(at + ".when", r.when()), each(at + ".then", r.then(), this::action));
    }

    private RuleAction action(String at, FlowFile.Action a) {
        exactlyOne(at, "give exactly one of setState, setIntent, setSlot or callTool",
                a.setState(), a.setIntent(), a.setSlot(), a.callTool());
        if (a.setState() != null) {
            return new RuleAction.SetState(a.setState());
        }
        if (a.setIntent() != null) {
            return new RuleAction.SetIntent(a.setIntent());
        }
        if (a.callTool() != null) {
            return new RuleAction.CallTool(a.callTool());
        }
        return new RuleAction.SetSlot(a.setSlot().name(), template(at + ".setSlot.value", a.setSlot().value()));
    }

    private ToolDef tool(String at, FlowFile.Tool t) {
        return new ToolDef(t.code(), condition(at + ".when", t.when()),
                template(at + ".verbose.before", t.verbose().before()),
                template(at + ".verbose.success", t.verbose().success()),
                template(at + ".verbose.error", t.verbose().error()));
    }

    private ResponseDef response(String at, FlowFile.Response r) {
        return new ResponseDef(r.id(), r.intent(), r.state(), r.type() == null ? ResponseType.TEXT : r.type(),
                template(at + ".template", r.template()));
    }

    private VerboseDef verbose(String at, FlowFile.Verbose v) {
        return new VerboseDef(v.step(), v.determinant(), v.intent(), v.state(), v.ruleId(),
                template(at + ".text", v.text()));
    }

    /** Converts each element of a list field, passing it its path ({@code rules[2]}); an absent list is empty. */
    private static <S, T> List<T> each(String path, List<S> items, BiFunction<String, S, T> convert) {
        List<T> converted = new ArrayList<>();
        for (int i = 0; items != null && i < items.size(); i++) {
            converted.add(convert.apply(path + "[" + i + "]", items.get(i)));
        }
        return converted;
    }

    private static List<String> listOf(List<String> items) {
        return items == null ? List.of() : List.copyOf(items);
    }

    private void exactlyOne(String at, String problem, Object... choices) {
        if (Stream.of(choices).filter(Objects::nonNull).count() != 1) {
            throw fail(at, problem);
        }
    }

    private Pattern regex(String at, String source) {
        try {
            return Pattern.compile(source, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        } catch (PatternSyntaxException e) {
            throw fail(at, "not a valid regular expression: " + e.getDescription() + " near index " + e.getIndex());
        }
    }

    private Template template(String at, String source) {
        return FlowTemplates.compile(file, at, source);
    }

    private FlowDefinitionException fail(String at, String problem) {
        return new FlowDefinitionException(file, at, problem);
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}
