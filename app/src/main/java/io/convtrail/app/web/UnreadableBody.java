package io.convtrail.app.web;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.convtrail.api.refusal.Refusal;
import io.convtrail.api.refusal.RefusedException;
import org.springframework.http.converter.HttpMessageNotReadableException;

/**
 * Why a body could not be read, in the client's terms: over a limit (413), or not one strict JSON
 * value (400, with the parser's own words and the position). Jackson's messages about binding name
 * Java classes, so those are replaced by what the client did wrong.
 */
final class UnreadableBody {

    private static final int MAX_DETAIL = 160;

    private UnreadableBody() {
    }

    static RefusedException describe(HttpMessageNotReadableException unreadable, RequestLimitProperties limits) {
        // a limit anywhere in the chain wins: Jackson wraps its constraint errors in binding errors
        for (Throwable cause = unreadable.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof BodySizeLimitFilter.BodyTooLargeException) {
                return RefusedException.tooLarge("body", "is larger than the limit of "
                        + limits.maxBodySize().toBytes() + " bytes");
            }
            if (cause instanceof StreamConstraintsException) {
                return RefusedException.tooLarge("body", "nests deeper than the limit of " + limits.maxJsonDepth()
                        + " levels, or holds a value longer than a JSON body may");
            }
        }
        for (Throwable cause = unreadable.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonParseException parse) {
                return malformed(firstLine(parse.getOriginalMessage()) + at(parse.getLocation()));
            }
            if (cause instanceof MismatchedInputException mismatch) {
                String message = String.valueOf(mismatch.getOriginalMessage());
                return malformed(message.startsWith("Trailing token")
                        ? "trailing content after the JSON value" + at(mismatch.getLocation())
                        : "a value has the wrong JSON type" + at(mismatch.getLocation()));
            }
            if (cause instanceof JsonProcessingException json) {
                return malformed("not valid JSON" + at(json.getLocation()));
            }
        }
        return malformed(unreadable.getCause() == null ? "the request body is missing" : "the body cannot be read");
    }

    private static RefusedException malformed(String detail) {
        return new RefusedException(Refusal.MALFORMED_JSON, "body", "body: " + detail, null);
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 0 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private static String firstLine(String message) {
        String line = message == null ? "not valid JSON" : message.lines().findFirst().orElse("not valid JSON");
        return line.length() <= MAX_DETAIL ? line : line.substring(0, MAX_DETAIL) + "…";
    }
}
