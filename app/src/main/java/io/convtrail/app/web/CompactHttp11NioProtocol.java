package io.convtrail.app.web;

import org.apache.catalina.connector.Connector;
import org.apache.coyote.Adapter;
import org.apache.coyote.http11.Http11NioProtocol;

/**
 * Tomcat's NIO HTTP/1.1 protocol with its per-connection buffers sized in one place. Tomcat gives
 * every response an 8 KB byte buffer and an 8 K-char buffer (24 KB) unless the protocol asks for
 * another size, which HTTP/1.1 never does; an open SSE stream keeps its response, and those 24 KB,
 * for its whole life. The servlet request's and response's char buffers have no setting at all;
 * {@link #setCharBuffers} has them created small ({@link CharBufferAdapter}). Tomcat instantiates
 * the protocol by its class name, hence a public class.
 */
public class CompactHttp11NioProtocol extends Http11NioProtocol {

    private int responseBufferSize = -1;
    private Connector connector;
    private ServletCharBuffers charBuffers;
    private OpenStreamBuffers openStreams;
    private LargeAnswerWrites largeAnswers;

    @Override
    public int getDesiredBufferSize() {
        return responseBufferSize;
    }

    public void setResponseBufferSize(int responseBufferSize) {
        this.responseBufferSize = responseBufferSize;
    }

    /** The socket's read buffer; the request head buffer is the header limit plus this. */
    public void setSocketReadBufferSize(int bytes) {
        getEndpoint().getSocketProperties().setAppReadBufSize(bytes);
    }

    public void setSocketWriteBufferSize(int bytes) {
        getEndpoint().getSocketProperties().setAppWriteBufSize(bytes);
    }

    /** The servlet request's and response's char buffers, in chars; takes effect when the connector starts. */
    void setCharBuffers(Connector connector, int chars) {
        this.connector = connector;
        this.charBuffers = new ServletCharBuffers(chars);
    }

    ServletCharBuffers charBuffers() {
        return charBuffers;
    }

    /**
     * Whether an open SSE stream's connection lets go of its request head buffer and response header
     * buffer while the stream lives ({@link OpenStreamBuffers}); the response header size must be set first.
     */
    void setReleaseOnOpenStream(boolean release) {
        this.openStreams = release ? new OpenStreamBuffers(getMaxHttpResponseHeaderSize()) : null;
    }

    /** The socket write buffer lent for a whole raw audit or trace ({@link LargeAnswerWrites}); 0: none. */
    void setLargeAnswerWriteBuffer(int bytes) {
        this.largeAnswers = bytes > 0 ? new LargeAnswerWrites(bytes) : null;
    }

    LargeAnswerWrites largeAnswers() {
        return largeAnswers;
    }

    OpenStreamBuffers openStreams() {
        return openStreams;
    }

    @Override
    public void setAdapter(Adapter adapter) {
        super.setAdapter(charBuffers == null ? adapter : new CharBufferAdapter(adapter, connector, charBuffers, openStreams,
                largeAnswers));
    }
}
