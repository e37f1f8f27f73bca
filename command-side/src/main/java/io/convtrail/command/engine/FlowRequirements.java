package io.convtrail.command.engine;

import io.convtrail.command.flow.FlowDefinition;
import io.convtrail.command.flow.FlowDefinitionException;

import java.util.Set;

/**
 * What a flow needs from the running application: a bean for every tool it names, an LLM if it has
 * LLM responses, and verbose texts attached to steps that exist. Checked at startup so a flow that
 * cannot run stops the service instead of failing its first turns.
 */
final class FlowRequirements {

    private FlowRequirements() {
    }

    static void check(FlowDefinition flow, Set<String> toolCodes, Set<String> stepNames, boolean llmConfigured) {
        for (int i = 0; i < flow.tools().size(); i++) {
            String code = flow.tools().get(i).code();
            if (!toolCodes.contains(code)) {
                throw new FlowDefinitionException(flow.source(), "tools[" + i + "].code", "no tool '" + code
                        + "' is available in this application (available: " + toolCodes + ")");
            }
        }
        for (int i = 0; i < flow.responses().size(); i++) {
            if (flow.responses().get(i).type() == FlowDefinition.ResponseType.LLM && !llmConfigured) {
                throw new FlowDefinitionException(flow.source(), "responses[" + i + "].type",
                        "response '" + flow.responses().get(i).id() + "' needs an LLM, and no LlmClient "
                                + "implementation is configured (the LLM is a port: provide an LlmClient bean, "
                                + "or use TEXT / JSON responses)");
            }
        }
        for (int i = 0; i < flow.verbose().size(); i++) {
            String step = flow.verbose().get(i).step();
            if (!stepNames.contains(step)) {
                throw new FlowDefinitionException(flow.source(), "verbose[" + i + "].step",
                        "unknown step '" + step + "'; steps: " + stepNames);
            }
        }
    }
}
