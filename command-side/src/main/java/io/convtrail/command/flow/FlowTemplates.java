package io.convtrail.command.flow;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;

/**
 * The one Mustache configuration flows use. Answers are plain text or JSON, never HTML, so nothing
 * is HTML-escaped; a null value renders empty, but a name the model does not have is an error, so
 * a typo in a template fails the turn instead of answering with a hole.
 */
final class FlowTemplates {

    private static final Mustache.Compiler COMPILER = Mustache.compiler().escapeHTML(false).nullValue("");

    private FlowTemplates() {
    }

    static Template compile(String file, String path, String source) {
        try {
            return COMPILER.compile(source);
        } catch (MustacheException e) {
            throw new FlowDefinitionException(file, path, "not a valid Mustache template: " + e.getMessage());
        }
    }
}
