package io.convtrail.api.stage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.convtrail.api.Stage;

import java.io.IOException;

/**
 * {@link StepBracket#read(Stage, com.fasterxml.jackson.databind.JsonNode)} over the payload's text with a
 * streaming parser: the bracket's few top-level fields are read and the rest ({@code _meta} and any other
 * field) skipped, with no tree built. Only values the tree read takes as they are (a string or null for a
 * text field; a whole number, a string or null for a duration) are read here; for any other value, a
 * payload that is not an object or not well formed, it answers null and the caller reads the tree, so the
 * result never depends on which of the two read it.
 */
final class StreamedBrackets {

    private StreamedBrackets() {
    }

    /** The bracket, or null where only the tree read may say what it is. */
    static StepBracket read(Stage stage, String payload, JsonFactory json) {
        try (JsonParser parser = json.createParser(payload)) {
            return read(stage, parser);
        } catch (IOException | RuntimeException notPlain) {
            return null;
        }
    }

    private static StepBracket read(Stage stage, JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        boolean exit = stage == Stage.STEP_EXIT;
        boolean error = stage == Stage.STEP_ERROR;
        Field step = Field.ABSENT;
        Field stepClass = Field.ABSENT;
        Field sourceFile = Field.ABSENT;
        Field outcome = Field.ABSENT;
        Field errorType = Field.ABSENT;
        Field errorMessage = Field.ABSENT;
        Field durationMs = Field.ABSENT;
        String name;
        while ((name = parser.nextFieldName()) != null) {
            JsonToken value = parser.nextToken();
            Field read = switch (name) {
                case "step" -> step = text(parser, value);
                case "stepClass" -> stepClass = text(parser, value);
                case "sourceFile" -> sourceFile = text(parser, value);
                case "outcome" -> exit ? outcome = text(parser, value) : skipped(parser);
                case "errorType" -> error ? errorType = text(parser, value) : skipped(parser);
                case "errorMessage" -> error ? errorMessage = text(parser, value) : skipped(parser);
                case "durationMs" -> exit || error ? durationMs = number(parser, value) : skipped(parser);
                default -> skipped(parser);
            };
            if (read == Field.NOT_PLAIN) {
                return null;
            }
        }
        if (parser.currentToken() != JsonToken.END_OBJECT) {
            return null;
        }
        if (exit) {
            return new StepBracket.Exit(step.text(), stepClass.text(), sourceFile.text(), outcome.text(),
                    durationMs.number());
        }
        if (error) {
            return new StepBracket.Error(step.text(), stepClass.text(), sourceFile.text(), durationMs.number(),
                    errorType.text(), errorMessage.text());
        }
        return new StepBracket.Enter(step.text(), stepClass.text(), sourceFile.text());
    }

    /** A field's value as the tree read would take it: {@link JsonFields#text}. */
    private static Field text(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            return new Field(parser.getText(), null);
        }
        return value == JsonToken.VALUE_NULL ? Field.ABSENT : Field.NOT_PLAIN;
    }

    /** A duration as the tree read would take it: {@link JsonFields#number}. */
    private static Field number(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            return new Field(null, parser.getLongValue());
        }
        if (value == JsonToken.VALUE_STRING) {
            try {
                return new Field(null, Long.parseLong(parser.getText().trim()));
            } catch (NumberFormatException e) {
                return Field.ABSENT;
            }
        }
        return value == JsonToken.VALUE_NULL ? Field.ABSENT : Field.NOT_PLAIN;
    }

    private static Field skipped(JsonParser parser) throws IOException {
        parser.skipChildren();
        return Field.ABSENT;
    }

    /** A field read: its text or its number, absent (null), or a value only the tree read takes. */
    private record Field(String text, Long number) {

        static final Field ABSENT = new Field(null, null);
        static final Field NOT_PLAIN = new Field(null, null);
    }
}
