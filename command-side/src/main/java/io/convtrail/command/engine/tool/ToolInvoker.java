package io.convtrail.command.engine.tool;

import io.convtrail.api.Stage;
import io.convtrail.command.engine.StageFields;
import io.convtrail.command.turn.EngineFailure;
import io.convtrail.command.engine.EngineStep;
import io.convtrail.command.engine.TurnSession;
import io.convtrail.command.flow.FlowDefinition.ToolDef;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Calls one flow tool with its progress texts and stages around it. Whatever was recorded so far is
 * committed before the call, so a subscriber sees "checking…" while the tool runs, not after.
 */
public final class ToolInvoker {

    private final Map<String, FlowTool> tools;

    public ToolInvoker(List<FlowTool> tools) {
        this.tools = tools.stream().collect(Collectors.toMap(FlowTool::code, Function.identity()));
    }

    public Set<String> codes() {
        return tools.keySet();
    }

    public void invoke(ToolDef def, EngineStep caller, TurnSession session) {
        FlowTool tool = tools.get(def.code());
        Map<String, Object> args = new LinkedHashMap<>(session.slots());
        session.record().toolProgress(caller, def.code(), "TOOL_CALL", "INFO", def.before(), Map.of());
        session.record().stage(Stage.MCP_TOOL_CALL, StageFields.of("toolCode", def.code(), "args", args));
        session.record().flush();
        long started = System.nanoTime();
        Map<String, Object> result;
        try {
            Map<String, Object> answered = tool.call(new ToolCall(session.input().conversationId(), session.intent(),
                    session.state(), Map.copyOf(session.slots())));
            result = answered == null ? Map.of() : answered;
        } catch (RuntimeException e) {
            String message = String.valueOf(e.getMessage());
            session.record().stage(Stage.MCP_TOOL_ERROR, StageFields.of("toolCode", def.code(), "errorType", e.getClass().getName(),
                    "errorMessage", message, "durationMs", elapsedMs(started)));
            session.record().toolProgress(caller, def.code(), "TOOL_ERROR", "ERROR", def.error(), Map.of("error", message));
            throw new EngineFailure("TOOL_CALL_FAILED", "Tool " + def.code() + " failed: " + message, true, e);
        }
        session.record().stage(Stage.MCP_TOOL_RESULT, StageFields.of("toolCode", def.code(), "result", result,
                "durationMs", elapsedMs(started)));
        rememberResult(session, def.code(), result);
        session.record().toolProgress(caller, def.code(), "TOOL_RESULT", "INFO", def.success(), Map.of("result", result));
    }

    /** Copies rather than mutates the stored map: the aggregate may still hold the previous turn's instance. */
    @SuppressWarnings("unchecked")
    private static void rememberResult(TurnSession session, String code, Map<String, Object> result) {
        Object previous = session.context().get("tools");
        Map<String, Object> results = new LinkedHashMap<>(previous instanceof Map<?, ?> m
                ? (Map<String, Object>) m : Map.of());
        results.put(code, result);
        session.context().put("tools", results);
    }

    private static long elapsedMs(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
