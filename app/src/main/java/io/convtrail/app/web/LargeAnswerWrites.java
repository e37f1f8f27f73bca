package io.convtrail.app.web;

import org.apache.coyote.Request;
import org.apache.coyote.Response;
import org.apache.coyote.http11.Http11OutputBuffer;
import org.apache.tomcat.util.buf.ByteChunk;
import org.apache.tomcat.util.buf.MessageBytes;
import org.apache.tomcat.util.net.SocketBufferHandler;
import org.apache.tomcat.util.net.SocketWrapperBase;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static io.convtrail.app.web.TomcatFields.read;
import static io.convtrail.app.web.TomcatFields.write;

/**
 * A large socket write buffer lent to a connection while it answers a whole raw audit or trace (megabytes:
 * 9 MB for a 10,000-event trace). Tomcat writes a blocking answer through the connection's socket write
 * buffer, one system call per buffer's worth, and that buffer is small ({@code convtrail.connection.write-buffer},
 * 2 KB, so that 10,000 open streams stay small): a 9 MB answer took some 4,600 calls to the socket. Each request
 * thread keeps one large buffer; it is lent to the connection for the request and taken back once the answer
 * has gone out (Tomcat flushes it before the adapter returns), the connection's own buffer put back, so no
 * connection keeps more than it did. Only paths answered on the request thread alone: a stream's events are
 * written by other threads, which must never write into a buffer a request thread lends. Tomcat has no setting
 * for it, so the field is replaced; a Tomcat whose fields differ fails at startup, not silently.
 */
final class LargeAnswerWrites {

    private static final String SETTING = "convtrail.connection.large-answer-write-buffer";
    private static final String AUDIT_PATH = "/api/v1/conversation/audit/";
    private static final String TRACE_SUFFIX = "/trace";

    private final Field responseOutput;
    private final Field socketWrapper;
    private final Field writeBuffer;
    private final Field writeBufferConfiguredForWrite;
    private final ThreadLocal<ByteBuffer> buffers;

    LargeAnswerWrites(int bytes) {
        this.responseOutput = TomcatFields.field(Response.class, "outputBuffer", SETTING);
        this.socketWrapper = TomcatFields.field(Http11OutputBuffer.class, "socketWrapper", SETTING);
        this.writeBuffer = TomcatFields.field(SocketBufferHandler.class, "writeBuffer", SETTING);
        this.writeBufferConfiguredForWrite = TomcatFields.field(SocketBufferHandler.class,
                "writeBufferConfiguredForWrite", SETTING);
        this.buffers = ThreadLocal.withInitial(() -> ByteBuffer.allocate(bytes));
    }

    /**
     * Lends this thread's buffer to the connection when the request asks for a whole raw audit or trace and
     * nothing waits in the connection's own buffer; answers the connection's own buffer, to give back, or null.
     */
    ByteBuffer lend(Request req, Response res) {
        if (!isLargeAnswer(req)) {
            return null;
        }
        SocketBufferHandler handler = handler(res);
        if (handler == null || !handler.isWriteBufferEmpty()) {
            return null;
        }
        ByteBuffer own = (ByteBuffer) read(writeBuffer, handler);
        if (own.isDirect()) {
            return null; // the connector's buffers are direct: a heap buffer would add a copy per write
        }
        ByteBuffer lent = buffers.get();
        lent.clear();
        write(writeBuffer, handler, lent);
        write(writeBufferConfiguredForWrite, handler, true);
        return own;
    }

    /**
     * Puts the connection's own buffer back once everything in the lent one has gone out. If something is left
     * in it (the client went away mid-answer), the connection keeps it and this thread makes another.
     */
    void giveBack(Response res, ByteBuffer own) {
        ByteBuffer lent = buffers.get();
        SocketBufferHandler handler = handler(res);
        if (handler == null || read(writeBuffer, handler) != lent || !handler.isWriteBufferEmpty()) {
            buffers.remove();
            return;
        }
        own.clear();
        write(writeBuffer, handler, own);
        write(writeBufferConfiguredForWrite, handler, true);
    }

    /** The capacity of the socket write buffer the response's connection writes through now, for a test to see. */
    int writeBufferCapacity(Response res) {
        SocketBufferHandler handler = handler(res);
        return handler == null ? -1 : handler.getWriteBuffer().capacity();
    }

    /** {@code GET /api/v1/conversation/audit/{id}} or {@code …/{id}/trace}: answered on the request thread alone. */
    static boolean isLargeAnswer(Request req) {
        if (!req.method().equals("GET")) {
            return false;
        }
        String path = path(req.requestURI());
        if (!path.startsWith(AUDIT_PATH)) {
            return false;
        }
        int slash = path.indexOf('/', AUDIT_PATH.length());
        return slash < 0 ? path.length() > AUDIT_PATH.length()
                : slash > AUDIT_PATH.length() && path.length() == slash + TRACE_SUFFIX.length()
                && path.endsWith(TRACE_SUFFIX);
    }

    /** The request's path as it came, read from its bytes: Tomcat decodes it later, from the same bytes. */
    private static String path(MessageBytes uri) {
        if (uri.getType() != MessageBytes.T_BYTES) {
            return String.valueOf(uri.toString());
        }
        ByteChunk bytes = uri.getByteChunk();
        return new String(bytes.getBuffer(), bytes.getStart(), bytes.getLength(), StandardCharsets.ISO_8859_1);
    }

    private SocketBufferHandler handler(Response res) {
        if (!(read(responseOutput, res) instanceof Http11OutputBuffer output)
                || !(read(socketWrapper, output) instanceof SocketWrapperBase<?> wrapper)) {
            return null;
        }
        return wrapper.getSocketBufferHandler();
    }
}
