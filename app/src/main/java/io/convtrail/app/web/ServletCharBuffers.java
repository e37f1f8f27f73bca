package io.convtrail.app.web;

import org.apache.catalina.connector.InputBuffer;
import org.apache.catalina.connector.OutputBuffer;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;

import java.lang.reflect.Field;
import java.nio.CharBuffer;

import static io.convtrail.app.web.TomcatFields.read;
import static io.convtrail.app.web.TomcatFields.write;

/**
 * The char buffers of Tomcat's servlet request and response, made small. Tomcat gives every request
 * an 8 K-char buffer for {@code getReader()} (16 KB, no setting) and every response one as large as
 * its byte buffer for {@code getWriter()}, and an open SSE stream holds both for its whole life,
 * although the service reads and writes bodies as bytes. A smaller char buffer only means more
 * conversion rounds for a reader or writer that moves more than it holds; the request's still grows
 * on demand for {@code mark()}, up to Tomcat's 8 K chars. Tomcat has no setting for either, so the
 * fields are replaced once, when the request and response are created; a Tomcat whose fields differ
 * fails at startup, not silently.
 */
final class ServletCharBuffers {

    private final int chars;
    private final Field requestInput;
    private final Field inputChars;
    private final Field responseOutput;
    private final Field outputChars;

    ServletCharBuffers(int chars) {
        this.chars = chars;
        this.requestInput = field(Request.class, "inputBuffer");
        this.inputChars = field(InputBuffer.class, "cb");
        this.responseOutput = field(Response.class, "outputBuffer");
        this.outputChars = field(OutputBuffer.class, "cb");
    }

    void shrink(Request request, Response response) {
        replace(inputChars, read(requestInput, request));
        replace(outputChars, read(responseOutput, response));
    }

    /** The request's char buffer in chars: what a reader of its body holds. */
    int capacity(Request request) {
        return ((CharBuffer) read(inputChars, read(requestInput, request))).capacity();
    }

    /** The response's char buffer in chars: what a writer of its body holds. */
    int capacity(Response response) {
        return ((CharBuffer) read(outputChars, read(responseOutput, response))).capacity();
    }

    private void replace(Field charBuffer, Object owner) {
        CharBuffer current = (CharBuffer) read(charBuffer, owner);
        if (current.capacity() > chars && !current.hasRemaining()) {
            write(charBuffer, owner, CharBuffer.allocate(chars).limit(0));
        }
    }

    private static Field field(Class<?> owner, String name) {
        return TomcatFields.field(owner, name, "convtrail.connection.char-buffer");
    }
}
