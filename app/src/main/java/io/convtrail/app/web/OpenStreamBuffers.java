package io.convtrail.app.web;

import org.apache.coyote.ActionCode;
import org.apache.coyote.ActionHook;
import org.apache.coyote.Request;
import org.apache.coyote.Response;
import org.apache.coyote.http11.Http11InputBuffer;
import org.apache.coyote.http11.Http11OutputBuffer;
import org.apache.tomcat.util.buf.ByteChunk;
import org.apache.tomcat.util.buf.MessageBytes;
import org.apache.tomcat.util.http.MimeHeaders;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static io.convtrail.app.web.TomcatFields.read;
import static io.convtrail.app.web.TomcatFields.write;

/**
 * What an open SSE stream's connection no longer needs, let go of while the stream lives. Once the
 * stream's request is read and its response's headers are sent, two of the connection's buffers sit
 * idle for the stream's life: the request head buffer (the request header limit plus the socket's read
 * buffer, 9 KB) and the response header buffer (8 KB, the limit of one response's headers). The head
 * buffer is replaced by a copy of the head as long as it is (the request line and header fields still
 * point into it: the dispatch that ends the stream maps the request again), and Tomcat allocates a
 * full one again when the connection's processor next reads a request head. The response header
 * buffer is replaced by an empty one, and a full one is put back before Tomcat dispatches the stream
 * again (its end, a timeout, an error) and when the processor is recycled, so whatever response the
 * processor answers next has Tomcat's buffer. Tomcat has no setting for either, so the fields are
 * replaced; a Tomcat whose fields differ fails at startup, not silently.
 */
final class OpenStreamBuffers {


    /** The byte buffer fields (views of the request head buffer, when they are) of Tomcat's body filters. */
    private static final ClassValue<List<Field>> BYTE_BUFFERS = new ClassValue<>() {
        @Override
        protected List<Field> computeValue(Class<?> type) {
            List<Field> views = new ArrayList<>();
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (f.getType() == ByteBuffer.class && !Modifier.isStatic(f.getModifiers())
                            && !Modifier.isFinal(f.getModifiers())) {
                        f.setAccessible(true);
                        views.add(f);
                    }
                }
            }
            return List.copyOf(views);
        }
    };

    private final int responseHeaderBytes;
    private final Field inputBytes;
    private final Field responseOutput;
    private final Field headerBuffer;
    private final Field responseHook;
    private final Field mimeHeaderFields;
    private final Field headerName;
    private final Field inputFilters;
    private final Field headerValue;
    private final List<Field> requestParts = new ArrayList<>();

    OpenStreamBuffers(int responseHeaderBytes) {
        this.responseHeaderBytes = responseHeaderBytes;
        this.inputBytes = field(Http11InputBuffer.class, "byteBuffer");
        this.inputFilters = field(Http11InputBuffer.class, "filterLibrary");
        this.responseOutput = field(Response.class, "outputBuffer");
        this.headerBuffer = field(Http11OutputBuffer.class, "headerBuffer");
        this.responseHook = field(Response.class, "hook");
        this.mimeHeaderFields = field(MimeHeaders.class, "headers");
        Class<?> headerField = mimeHeaderFields.getType().getComponentType();
        this.headerName = field(headerField, "nameB");
        this.headerValue = field(headerField, "valueB");
        for (Field part : Request.class.getDeclaredFields()) {
            if (part.getType() == MessageBytes.class && !Modifier.isStatic(part.getModifiers())) {
                part.setAccessible(true);
                requestParts.add(part);
            }
        }
        if (requestParts.isEmpty()) {
            throw new IllegalStateException("this Tomcat's request has no MessageBytes fields: "
                    + "an open stream's request head cannot be compacted");
        }
    }

    /**
     * Has {@code whenCommitted} told each time the response's headers have been sent (Tomcat's processor
     * sends them on its {@code COMMIT} action, from whichever thread writes first): a stream's headers
     * leave with its first event, after its request's handler has returned.
     */
    void onCommit(Response response, java.util.function.Consumer<Response> whenCommitted) {
        ActionHook processor = (ActionHook) read(responseHook, response);
        if (processor != null && !(processor instanceof CommitHook)) {
            write(responseHook, response, new CommitHook(processor, response, whenCommitted));
        }
    }

    /**
     * Lets go of what a response whose headers have been sent keeps of them: the response header buffer,
     * once flushed, and the header fields, which Tomcat copied into that buffer when it committed the
     * response (each field is a name and a value of three objects each, ~300 bytes; a stream's response has
     * 17, 6.7 KB). Nothing reads a committed response's headers again, and Tomcat ignores new ones; the
     * fields' array grows back when the connection's next response sets headers.
     */
    void releaseHeaders(Response response) {
        if (response.isCommitted() && read(responseOutput, response) instanceof Http11OutputBuffer output) {
            ByteBuffer headers = (ByteBuffer) read(headerBuffer, output);
            if (headers.capacity() > 0 && headers.position() == 0) {
                write(headerBuffer, output, ByteBuffer.allocate(0));
            }
            MimeHeaders fields = response.getMimeHeaders();
            if (Array.getLength(read(mimeHeaderFields, fields)) > 1) {
                fields.recycle();
                write(mimeHeaderFields, fields, Array.newInstance(mimeHeaderFields.getType().getComponentType(), 1));
            }
        }
    }

    /** How many header fields the response keeps allocated, in use or recycled, for a test to see them freed. */
    int headerFields(Response response) {
        return Array.getLength(read(mimeHeaderFields, response.getMimeHeaders()));
    }

    /**
     * Lets go of the request head buffer of a request read whole (no body, nothing read ahead of the next
     * request), keeping a copy of the head; otherwise leaves it as it is.
     */
    void releaseHead(Request request) {
        if (request.getInputBuffer() instanceof Http11InputBuffer input
                && request.getContentLengthLong() <= 0 && request.getHeader("transfer-encoding") == null) {
            compactHead(request, input);
        }
    }

    /** Puts a full response header buffer back, before the processor writes any response again. */
    void restore(Response response) {
        if (read(responseOutput, response) instanceof Http11OutputBuffer output
                && ((ByteBuffer) read(headerBuffer, output)).capacity() < responseHeaderBytes) {
            write(headerBuffer, output, ByteBuffer.allocate(responseHeaderBytes));
        }
    }

    /** The request head buffer's capacity, in bytes. */
    int headBuffer(Request request) {
        return ((ByteBuffer) read(inputBytes, request.getInputBuffer())).capacity();
    }

    /** The request head buffer's array, for a test to see it freed. */
    byte[] headBytes(Request request) {
        return ((ByteBuffer) read(inputBytes, request.getInputBuffer())).array();
    }

    /** The response header buffer's capacity, in bytes. */
    int headerBuffer(Response response) {
        return ((ByteBuffer) read(headerBuffer, read(responseOutput, response))).capacity();
    }

    /** The response header buffer's array, for a test to see it freed. */
    byte[] headerBytes(Response response) {
        return ((ByteBuffer) read(headerBuffer, read(responseOutput, response))).array();
    }

    private void compactHead(Request request, Http11InputBuffer input) {
        ByteBuffer head = (ByteBuffer) read(inputBytes, input);
        if (!head.hasArray() || head.arrayOffset() != 0 || head.hasRemaining() || head.limit() >= head.capacity()) {
            return;
        }
        byte[] full = head.array();
        byte[] compact = new byte[head.limit()];
        System.arraycopy(full, 0, compact, 0, compact.length);
        for (Field part : requestParts) {
            repoint((MessageBytes) read(part, request), full, compact);
        }
        // every header field the request has held, the recycled ones beyond its count as well
        Object fields = read(mimeHeaderFields, request.getMimeHeaders());
        for (int i = 0, n = Array.getLength(fields); i < n; i++) {
            Object field = Array.get(fields, i);
            if (field != null) {
                repoint((MessageBytes) read(headerName, field), full, compact);
                repoint((MessageBytes) read(headerValue, field), full, compact);
            }
        }
        // a body filter keeps a view of the head buffer from the last body it read (of an earlier request)
        Object filters = read(inputFilters, input);
        for (int i = 0, n = Array.getLength(filters); i < n; i++) {
            Object filter = Array.get(filters, i);
            if (filter != null) {
                for (Field view : BYTE_BUFFERS.get(filter.getClass())) {
                    if (read(view, filter) instanceof ByteBuffer bytes && bytes.hasArray() && bytes.array() == full
                            && !bytes.hasRemaining()) {
                        write(view, filter, ByteBuffer.allocate(0));
                    }
                }
            }
        }
        ByteBuffer copy = ByteBuffer.wrap(compact);
        copy.limit(head.limit()).position(head.position());
        write(inputBytes, input, copy);
    }

    /** The processor's hook on the response, telling {@code whenCommitted} after each commit. */
    private record CommitHook(ActionHook processor, Response response, java.util.function.Consumer<Response> whenCommitted)
            implements ActionHook {

        @Override
        public void action(ActionCode actionCode, Object param) {
            processor.action(actionCode, param);
            if (actionCode == ActionCode.COMMIT && response.isCommitted()) {
                whenCommitted.accept(response);
            }
        }
    }

    /**
     * Points a field of the request at the copy of the head. A field that does not hold bytes now (unset,
     * recycled from an earlier request, or turned into a String) still points at the bytes it last held,
     * and is pointed at nothing instead.
     */
    private static void repoint(MessageBytes part, byte[] from, byte[] to) {
        if (part == null) {
            return;
        }
        ByteChunk bytes = part.getByteChunk();
        if (bytes.getBuffer() != from) {
            return;
        }
        if (part.getType() != MessageBytes.T_BYTES) {
            bytes.setBytes(to, 0, 0);
            bytes.recycle();
        } else if (bytes.getEnd() <= to.length) {
            bytes.setBytes(to, bytes.getStart(), bytes.getLength());
        }
    }

    private static Field field(Class<?> owner, String name) {
        return TomcatFields.field(owner, name, "convtrail.connection.release-on-open-stream");
    }
}
