package io.convtrail.command.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.command.engine.llm.LlmClient;
import io.convtrail.command.engine.step.AuditUserInputStep;
import io.convtrail.command.engine.step.FallbackIntentStateStep;
import io.convtrail.command.engine.step.IntentResolutionStep;
import io.convtrail.command.engine.step.LoadOrCreateConversationStep;
import io.convtrail.command.engine.step.PersistConversationStep;
import io.convtrail.command.engine.step.PipelineEndGuardStep;
import io.convtrail.command.engine.step.PolicyEnforcementStep;
import io.convtrail.command.engine.step.ResetConversationStep;
import io.convtrail.command.engine.step.ResponseResolutionStep;
import io.convtrail.command.engine.step.RulesStep;
import io.convtrail.command.engine.step.SchemaExtractionStep;
import io.convtrail.command.engine.step.StateGraphStep;
import io.convtrail.command.engine.step.ToolOrchestrationStep;
import io.convtrail.command.engine.tool.CreditRatingTool;
import io.convtrail.command.engine.tool.DemoToolProperties;
import io.convtrail.command.engine.tool.FlowTool;
import io.convtrail.command.engine.tool.ToolInvoker;
import io.convtrail.command.flow.FlowDefinition;
import io.convtrail.command.flow.FlowLoader;
import io.convtrail.command.flow.FlowProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.support.ResourcePatternResolver;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The flow engine's wiring, and the one place that states the pipeline's step order. The active
 * flow is loaded and checked against the application (tools, LLM) while the context starts.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({FlowProperties.class, DemoToolProperties.class})
public class FlowEngineConfiguration {

    private static final Logger log = LoggerFactory.getLogger(FlowEngineConfiguration.class);

    @Bean
    FlowDefinition activeFlow(FlowProperties properties, ResourcePatternResolver resources) {
        FlowDefinition flow = new FlowLoader(resources).loadActive(properties);
        log.info("Flow '{}' version {} from {} (sha256 {}) runs the turns", flow.id(), flow.version(),
                flow.source(), flow.contentHash());
        return flow;
    }

    @Bean
    CreditRatingTool creditRatingTool(DemoToolProperties properties) {
        return new CreditRatingTool(properties);
    }

    @Bean
    FlowEngine flowEngine(FlowDefinition flow, List<FlowTool> tools, ObjectProvider<LlmClient> llm,
                          ObjectMapper json) {
        ToolInvoker invoker = new ToolInvoker(tools);
        LlmClient llmClient = llm.getIfAvailable();
        List<EngineStep> deciding = List.of(
                new LoadOrCreateConversationStep(),
                new AuditUserInputStep(), // before a reset, so the audit keeps what the user typed even then
                new ResetConversationStep(),
                new PolicyEnforcementStep(),
                new IntentResolutionStep(),
                new FallbackIntentStateStep(),
                new SchemaExtractionStep(),
                new ToolOrchestrationStep(invoker),
                new RulesStep(invoker),
                new StateGraphStep());
        List<EngineStep> finishing = List.of(
                new ResponseResolutionStep(json, llmClient),
                new PersistConversationStep(),
                new PipelineEndGuardStep());
        Set<String> stepNames = Stream.concat(deciding.stream(), finishing.stream()).map(EngineStep::name)
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
        FlowRequirements.check(flow, invoker.codes(), stepNames, llmClient != null);
        return new FlowEngine(flow, deciding, finishing);
    }
}
