package io.convtrail.app.web;

import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.CoyoteAdapter;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import io.convtrail.query.web.StreamController;
import org.apache.coyote.ActionCode;
import org.apache.coyote.Adapter;
import org.apache.tomcat.util.net.SocketEvent;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tomcat's adapter from the connector to the servlet container, creating each connection's servlet
 * request and response itself, as {@link CoyoteAdapter} does, so that their char buffers are small
 * from the start ({@link ServletCharBuffers}). Tomcat keeps the pair with the connection's processor
 * and reuses it for the connection's later requests. An open SSE stream's connection lets go of its
 * request head buffer when the stream's handler has returned and of its response header buffer when
 * the stream's headers are sent, and has the latter back before the stream's end is dispatched or the
 * processor is recycled ({@link OpenStreamBuffers}). A whole raw audit or trace is written through a large
 * socket write buffer lent for the request ({@link LargeAnswerWrites}); everything else is the delegate's.
 */
final class CharBufferAdapter implements Adapter {

    private final Adapter delegate;
    private final Connector connector;
    private final ServletCharBuffers charBuffers;
    /** Null: an open stream keeps its connection's buffers. */
    private final OpenStreamBuffers openStreams;
    /** Null: every answer is written through the connection's own socket write buffer. */
    private final LargeAnswerWrites largeAnswers;

    CharBufferAdapter(Adapter delegate, Connector connector, ServletCharBuffers charBuffers, OpenStreamBuffers openStreams,
                      LargeAnswerWrites largeAnswers) {
        this.delegate = delegate;
        this.connector = connector;
        this.charBuffers = charBuffers;
        this.openStreams = openStreams;
        this.largeAnswers = largeAnswers;
    }

    @Override
    public void service(org.apache.coyote.Request req, org.apache.coyote.Response res) throws Exception {
        createServletPair(req, res);
        if (openStreams != null) {
            // a stream's late first write may have found its response header buffer after it was put back
            openStreams.restore(res);
        }
        ByteBuffer own = largeAnswers == null ? null : largeAnswers.lend(req, res);
        try {
            delegate.service(req, res);
        } finally {
            if (own != null) {
                largeAnswers.giveBack(res, own);
            }
        }
        if (openStreams != null && isOpenStream(req)) {
            // the stream's handler has returned: its request is read, nothing reads its body
            openStreams.releaseHead(req);
        }
    }

    @Override
    public boolean prepare(org.apache.coyote.Request req, org.apache.coyote.Response res) throws Exception {
        return delegate.prepare(req, res);
    }

    @Override
    public boolean asyncDispatch(org.apache.coyote.Request req, org.apache.coyote.Response res, SocketEvent status)
            throws Exception {
        if (openStreams != null) {
            // the stream ends, times out or fails: whatever is written next may need its headers' buffer
            openStreams.restore(res);
        }
        return delegate.asyncDispatch(req, res, status);
    }

    @Override
    public void log(org.apache.coyote.Request req, org.apache.coyote.Response res, long time) {
        createServletPair(req, res);
        delegate.log(req, res, time);
    }

    @Override
    public void checkRecycled(org.apache.coyote.Request req, org.apache.coyote.Response res) {
        if (openStreams != null) {
            openStreams.restore(res);
        }
        delegate.checkRecycled(req, res);
    }

    @Override
    public String getDomain() {
        return delegate.getDomain();
    }

    /** A stream's headers are sent (with its first event): their buffer is not needed until the stream ends. */
    private void committed(org.apache.coyote.Response res) {
        if (res.getNote(CoyoteAdapter.ADAPTER_NOTES) instanceof Response response
                && response.getRequest() != null
                && response.getRequest().getAttribute(StreamController.STREAM_OPEN_ATTRIBUTE) != null) {
            openStreams.releaseHeaders(res);
        }
    }

    private static boolean isOpenStream(org.apache.coyote.Request req) {
        if (!(req.getNote(CoyoteAdapter.ADAPTER_NOTES) instanceof Request request)
                || request.getAttribute(StreamController.STREAM_OPEN_ATTRIBUTE) == null) {
            return false;
        }
        AtomicBoolean async = new AtomicBoolean();
        req.action(ActionCode.ASYNC_IS_ASYNC, async);
        return async.get();
    }

    private void createServletPair(org.apache.coyote.Request req, org.apache.coyote.Response res) {
        if (req.getNote(CoyoteAdapter.ADAPTER_NOTES) != null) {
            return;
        }
        Request request = connector.createRequest();
        request.setCoyoteRequest(req);
        Response response = connector.createResponse();
        response.setCoyoteResponse(res);
        request.setResponse(response);
        response.setRequest(request);
        charBuffers.shrink(request, response);
        if (openStreams != null) {
            openStreams.onCommit(res, this::committed);
        }
        req.setNote(CoyoteAdapter.ADAPTER_NOTES, request);
        res.setNote(CoyoteAdapter.ADAPTER_NOTES, response);
        req.getParameters().setQueryStringCharset(connector.getURICharset());
    }
}
