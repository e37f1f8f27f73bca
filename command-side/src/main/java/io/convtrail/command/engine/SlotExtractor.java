package io.convtrail.command.engine;

import io.convtrail.command.flow.FlowDefinition.SlotDef;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds one slot's value in the user's text with the slot type's deterministic extractor, and validates it. */
public final class SlotExtractor {

    /** What was found: {@code value} when valid, else {@code problem} says why not. */
    public record Extraction(String raw, Object value, String problem) {

        public boolean valid() {
            return problem == null;
        }
    }

    private static final Pattern NUMBER = Pattern.compile("(?<![\\w@.])\\d[\\d,]*(?:\\.\\d+)?(?![\\w@])");
    private static final Pattern DATE = Pattern.compile("\\b\\d{4}-\\d{2}-\\d{2}\\b");
    private static final Pattern EMAIL_CANDIDATE = Pattern.compile("\\S+@\\S*");
    private static final Pattern EMAIL = Pattern.compile("[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)*\\.[A-Za-z]{2,}");

    private SlotExtractor() {
    }

    public static Optional<Extraction> extract(SlotDef slot, String text) {
        if (text == null) {
            return Optional.empty();
        }
        return switch (slot.type()) {
            case NUMBER -> find(NUMBER, text).map(raw -> number(slot, raw));
            case ENUM -> slot.values().stream()
                    .filter(v -> Pattern.compile("(?<!\\w)" + Pattern.quote(v) + "(?!\\w)", Pattern.CASE_INSENSITIVE)
                            .matcher(text).find())
                    .findFirst().map(v -> new Extraction(v, v, null));
            case DATE -> find(DATE, text).map(raw -> date(slot, raw));
            case EMAIL -> find(EMAIL_CANDIDATE, text).map(raw -> trimTrailingPunctuation(raw))
                    .map(raw -> EMAIL.matcher(raw).matches() ? new Extraction(raw, raw, null)
                            : new Extraction(raw, null, invalid(slot)));
            case REGEX -> regex(slot, text);
        };
    }

    private static Extraction number(SlotDef slot, String raw) {
        double value = Double.parseDouble(raw.replace(",", ""));
        if ((slot.min() != null && value < slot.min()) || (slot.max() != null && value > slot.max())) {
            return new Extraction(raw, null, invalid(slot));
        }
        Object typed = value == Math.rint(value) ? (Object) (long) value : value;
        return new Extraction(raw, typed, null);
    }

    private static Extraction date(SlotDef slot, String raw) {
        try {
            return new Extraction(raw, LocalDate.parse(raw).toString(), null);
        } catch (DateTimeParseException e) {
            return new Extraction(raw, null, invalid(slot));
        }
    }

    private static Optional<Extraction> regex(SlotDef slot, String text) {
        Matcher m = slot.pattern().matcher(text);
        if (!m.find()) {
            return Optional.empty();
        }
        String value = m.groupCount() > 0 && m.group(1) != null ? m.group(1) : m.group();
        return Optional.of(new Extraction(value, value, null));
    }

    private static Optional<String> find(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? Optional.of(m.group()) : Optional.empty();
    }

    private static String trimTrailingPunctuation(String raw) {
        return raw.replaceAll("[.,;:!?)]+$", "");
    }

    private static String invalid(SlotDef slot) {
        return slot.invalidMessage() != null ? slot.invalidMessage() : "That is not a valid " + slot.name() + ".";
    }
}
