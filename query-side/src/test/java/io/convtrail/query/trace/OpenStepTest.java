package io.convtrail.query.trace;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** ConvEngine's rule for which open step an exit closes. */
class OpenStepTest {

    private static final OpenStep TOOL = new OpenStep(30, "McpToolStep");
    private static final OpenStep RULES = new OpenStep(20, "RulesStep");
    private static final OpenStep OUTER = new OpenStep(10, "McpToolStep");

    @Test
    void anExitClosesTheInnermostOpenStepOfItsName() {
        assertThat(OpenStep.closedBy(List.of(TOOL, RULES, OUTER), "RulesStep")).contains(RULES);
        assertThat(OpenStep.closedBy(List.of(TOOL, RULES, OUTER), "mcptoolstep")).contains(TOOL);
    }

    @Test
    void anExitWithAnUnknownOrBlankNameClosesTheInnermostStep() {
        assertThat(OpenStep.closedBy(List.of(RULES, OUTER), "SchemaExtractionStep")).contains(RULES);
        assertThat(OpenStep.closedBy(List.of(RULES, OUTER), " ")).contains(RULES);
        assertThat(OpenStep.closedBy(List.of(RULES, OUTER), null)).contains(RULES);
    }

    @Test
    void anExitWithNoOpenStepClosesNothing() {
        assertThat(OpenStep.closedBy(List.of(), "RulesStep")).isEmpty();
    }
}
