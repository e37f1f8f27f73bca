package io.convtrail.command.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.command.flow.FlowDefinitionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine's startup checks, on the real configuration class in a small Spring context. */
class FlowEngineConfigurationTest {

    private static final String LLM_FLOW = """
            id: chat
            version: "1"
            initialState: IDLE
            states: [{name: IDLE}]
            fallback: {intent: UNKNOWN, state: IDLE}
            reset: {keywords: [reset], response: ok}
            responses:
              - {id: free-text, intent: UNKNOWN, type: LLM, template: "Answer: {{input}}"}
            """;

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(FlowEngineConfiguration.class)
            .withBean(ObjectMapper.class);

    @Test
    void theDemoFlowStartsByDefault() {
        context.run(started -> {
            assertThat(started).hasNotFailed();
            assertThat(started.getBean(FlowEngine.class).flow().flowId()).isEqualTo("loan-demo");
        });
    }

    @Test
    void aFlowWithAnLlmResponseFailsStartupWhenNoLlmIsConfigured(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("chat.yml"), LLM_FLOW);

        context.withPropertyValues("convtrail.flow.location=" + dir.toUri(), "convtrail.flow.active=chat")
                .run(failed -> assertThat(failed).getFailure().rootCause()
                        .isInstanceOf(FlowDefinitionException.class)
                        .hasMessageStartingWith("Invalid flow file chat.yml at responses[0].type: response "
                                + "'free-text' needs an LLM, and no LlmClient implementation is configured"));
    }

    @Test
    void theSameFlowStartsWhenAnLlmIsConfigured(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("chat.yml"), LLM_FLOW);

        context.withPropertyValues("convtrail.flow.location=" + dir.toUri(), "convtrail.flow.active=chat")
                .withBean(io.convtrail.command.engine.llm.LlmClient.class, () -> prompt -> "ok")
                .run(started -> assertThat(started).hasNotFailed());
    }

    @Test
    void aFlowNamingAToolTheApplicationDoesNotHaveFailsStartup(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("tools.yml"), LLM_FLOW.replace("type: LLM, ", "").replace("id: chat", "id: tools")
                + """
                tools:
                  - code: weather
                    verbose: {before: a, success: b, error: c}
                """);

        context.withPropertyValues("convtrail.flow.location=" + dir.toUri(), "convtrail.flow.active=tools")
                .run(failed -> assertThat(failed).getFailure().rootCause()
                        .hasMessageStartingWith("Invalid flow file tools.yml at tools[0].code: no tool 'weather'"));
    }
}
