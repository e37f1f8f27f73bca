package io.convtrail.command.flow;

import java.util.Locale;
import java.util.regex.Pattern;

/** One classifier pattern of an intent. Text comparisons ignore case. */
public record InputMatcher(Kind kind, String value, Pattern regex) {

    public enum Kind { REGEX, CONTAINS, STARTS_WITH }

    public boolean matches(String input) {
        if (input == null) {
            return false;
        }
        String text = input.strip().toLowerCase(Locale.ROOT);
        return switch (kind) {
            case REGEX -> regex.matcher(input).find();
            case CONTAINS -> text.contains(value.toLowerCase(Locale.ROOT));
            case STARTS_WITH -> text.startsWith(value.toLowerCase(Locale.ROOT));
        };
    }
}
