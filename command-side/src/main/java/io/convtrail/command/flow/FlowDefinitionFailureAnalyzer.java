package io.convtrail.command.flow;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Shows a flow that cannot be used as one message (file, path, problem) instead of a bean-creation stack trace. */
public class FlowDefinitionFailureAnalyzer extends AbstractFailureAnalyzer<FlowDefinitionException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, FlowDefinitionException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Fix the flow file, or point convtrail.flow.location / convtrail.flow.active "
                        + "(CONVTRAIL_FLOW_LOCATION / CONVTRAIL_FLOW_ACTIVE) at a valid flow. "
                        + "docs/flows.md describes the format.",
                cause);
    }
}
