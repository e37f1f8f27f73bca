package io.convtrail.command.engine.tool;

import java.util.Map;

/**
 * A tool a flow can call by its code. Implementations are Spring beans; a call may block (network,
 * a slow backend), which is why the engine commits what it recorded before calling.
 */
public interface FlowTool {

    String code();

    /** Returns the result fields, which flows read as {@code context.tools.<code>.<field>}. */
    Map<String, Object> call(ToolCall call);
}
