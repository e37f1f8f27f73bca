package io.convtrail.app.web;

import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.CoyoteAdapter;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.coyote.Adapter;
import org.apache.tomcat.util.net.SocketEvent;

/**
 * Tomcat's adapter from the connector to the servlet container, creating each connection's servlet
 * request and response itself, as {@link CoyoteAdapter} does, so that their char buffers are small
 * from the start ({@link ServletCharBuffers}). Tomcat keeps the pair with the connection's processor
 * and reuses it for the connection's later requests; everything else is the delegate's.
 */
final class CharBufferAdapter implements Adapter {

    private final Adapter delegate;
    private final Connector connector;
    private final ServletCharBuffers charBuffers;

    CharBufferAdapter(Adapter delegate, Connector connector, ServletCharBuffers charBuffers) {
        this.delegate = delegate;
        this.connector = connector;
        this.charBuffers = charBuffers;
    }

    @Override
    public void service(org.apache.coyote.Request req, org.apache.coyote.Response res) throws Exception {
        createServletPair(req, res);
        delegate.service(req, res);
    }

    @Override
    public boolean prepare(org.apache.coyote.Request req, org.apache.coyote.Response res) throws Exception {
        return delegate.prepare(req, res);
    }

    @Override
    public boolean asyncDispatch(org.apache.coyote.Request req, org.apache.coyote.Response res, SocketEvent status)
            throws Exception {
        return delegate.asyncDispatch(req, res, status);
    }

    @Override
    public void log(org.apache.coyote.Request req, org.apache.coyote.Response res, long time) {
        createServletPair(req, res);
        delegate.log(req, res, time);
    }

    @Override
    public void checkRecycled(org.apache.coyote.Request req, org.apache.coyote.Response res) {
        delegate.checkRecycled(req, res);
    }

    @Override
    public String getDomain() {
        return delegate.getDomain();
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
        req.setNote(CoyoteAdapter.ADAPTER_NOTES, request);
        res.setNote(CoyoteAdapter.ADAPTER_NOTES, response);
        req.getParameters().setQueryStringCharset(connector.getURICharset());
    }
}
