package io.convtrail.command.engine;

import io.convtrail.command.engine.SlotExtractor.Extraction;
import io.convtrail.command.flow.FlowDefinition.SlotDef;
import io.convtrail.command.flow.FlowDefinition.SlotType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class SlotExtractorTest {

    @Test
    void numbersAcceptThousandsSeparatorsDecimalsAndBounds() {
        SlotDef amount = slot(SlotType.NUMBER, 1000.0, 50000.0, List.of(), null);

        assertThat(value(amount, "about 12,500 please")).isEqualTo(12500L);
        assertThat(value(amount, "1500.75")).isEqualTo(1500.75);
        assertThat(SlotExtractor.extract(amount, "200").orElseThrow().problem()).isEqualTo("bad value");
        assertThat(SlotExtractor.extract(amount, "no digits here")).isEmpty();
    }

    @Test
    void enumValuesMatchWholeWordsOnly() {
        SlotDef term = slot(SlotType.ENUM, null, null, List.of("12", "36"), null);

        assertThat(value(term, "over 36 months")).isEqualTo("36");
        assertThat(SlotExtractor.extract(term, "1200 over 360 days")).isEmpty();
    }

    @Test
    void datesAreIsoAndMustExist() {
        SlotDef date = slot(SlotType.DATE, null, null, List.of(), null);

        assertThat(value(date, "starting 2027-01-31")).isEqualTo("2027-01-31");
        assertThat(SlotExtractor.extract(date, "on 2027-02-30").orElseThrow().valid()).isFalse();
    }

    @Test
    void anAtSignThatIsNotAnEmailIsInvalidRatherThanMissing() {
        SlotDef email = slot(SlotType.EMAIL, null, null, List.of(), null);

        assertThat(value(email, "mail me at jane.doe+loans@example.co.uk.")).isEqualTo("jane.doe+loans@example.co.uk");
        assertThat(SlotExtractor.extract(email, "jane@example").orElseThrow().valid()).isFalse();
        assertThat(SlotExtractor.extract(email, "no address")).isEmpty();
    }

    @Test
    void aRegexSlotTakesItsFirstGroup() {
        SlotDef policy = slot(SlotType.REGEX, null, null, List.of(),
                Pattern.compile("policy\\s+([A-Z]{2}-\\d+)", Pattern.CASE_INSENSITIVE));

        assertThat(value(policy, "my policy AB-123 lapsed")).isEqualTo("AB-123");
    }

    private static Object value(SlotDef slot, String text) {
        Optional<Extraction> found = SlotExtractor.extract(slot, text);
        assertThat(found).as("extracted from '%s'", text).isPresent();
        assertThat(found.get().valid()).as(found.get().problem()).isTrue();
        return found.get().value();
    }

    private static SlotDef slot(SlotType type, Double min, Double max, List<String> values, Pattern pattern) {
        return new SlotDef("x", type, true, "?", "bad value", min, max, values, pattern);
    }
}
