package io.convtrail.query.trace;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StepBracketTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void readsTheFieldsOfAStepError() throws Exception {
        StepBracket b = StepBracket.of(json.readTree("""
                {"_meta":{"stage":"STEP_ERROR"},"step":"RulesStep","stepClass":"x.RulesStep",
                 "sourceFile":"x/RulesStep.java","durationMs":51,"errorType":"IllegalStateException",
                 "errorMessage":"rule table missing"}"""));
        assertThat(b).isEqualTo(new StepBracket("RulesStep", "x.RulesStep", "x/RulesStep.java", 51L,
                "IllegalStateException", "rule table missing"));
    }

    @Test
    void missingFieldsAreNullAndADurationGivenAsTextIsRead() throws Exception {
        StepBracket b = StepBracket.of(json.readTree("{\"step\":\"RulesStep\",\"durationMs\":\"12\",\"stepClass\":null}"));
        assertThat(b.stepClass()).isNull();
        assertThat(b.sourceFile()).isNull();
        assertThat(b.durationMs()).isEqualTo(12L);
        assertThat(StepBracket.of(json.readTree("{\"durationMs\":\"soon\"}")).durationMs()).isNull();
    }
}
