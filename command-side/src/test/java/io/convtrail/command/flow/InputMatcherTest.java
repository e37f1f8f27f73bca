package io.convtrail.command.flow;

import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class InputMatcherTest {

    @Test
    void textPatternsIgnoreCaseAndSurroundingSpace() {
        InputMatcher contains = new InputMatcher(InputMatcher.Kind.CONTAINS, "Interest Rate", null);
        InputMatcher startsWith = new InputMatcher(InputMatcher.Kind.STARTS_WITH, "i want", null);

        assertThat(contains.matches("what INTEREST RATE applies?")).isTrue();
        assertThat(startsWith.matches("  I want a loan")).isTrue();
        assertThat(startsWith.matches("Do I want a loan?")).isFalse();
        assertThat(contains.matches(null)).isFalse();
    }

    @Test
    void aRegexMayMatchAnywhere() {
        InputMatcher regex = new InputMatcher(InputMatcher.Kind.REGEX, "\\bapr\\b",
                Pattern.compile("\\bapr\\b", Pattern.CASE_INSENSITIVE));

        assertThat(regex.matches("What is the APR?")).isTrue();
        assertThat(regex.matches("in april")).isFalse();
    }
}
