package io.convtrail.app.web;

import org.apache.catalina.connector.Connector;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/**
 * Per-connection memory of the HTTP connector. An idle open SSE stream costs what its connection
 * holds: the socket's read and write buffers, the request line and header buffer, the response
 * header buffer, the request trailer buffer, and the request's and response's body buffers. With
 * Tomcat's defaults that is about 90 KB, so 10,000 streams took over 1 GB of heap; these settings
 * shrink the buffers no stream needs at that size (an SSE stream reads one request head and writes
 * events of a few KB). The request header limit ({@code server.max-http-request-header-size}) stays
 * as it is: it bounds what a request may carry, bearer tokens included. The response header buffer
 * keeps Tomcat's size by default (a redirect's Location echoes the request's query), and the trailer
 * buffer (8 KB by default, allocated for every connection although the service accepts no trailer
 * headers) holds only an empty trailer section. The servlet request's and response's char buffers
 * (24 KB together by Tomcat's sizes, and no setting) are made small ({@link ServletCharBuffers}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConnectionBufferProperties.class)
class ConnectionBufferConfiguration {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> compactConnectionBuffers(ConnectionBufferProperties buffers) {
        return factory -> {
            factory.setProtocol(CompactHttp11NioProtocol.class.getName());
            factory.addConnectorCustomizers(connector -> apply(connector, buffers));
        };
    }

    private static void apply(Connector connector, ConnectionBufferProperties buffers) {
        if (connector.getProtocolHandler() instanceof CompactHttp11NioProtocol protocol) {
            protocol.setResponseBufferSize(bytes(buffers.responseBuffer()));
            protocol.setSocketReadBufferSize(bytes(buffers.readBuffer()));
            protocol.setSocketWriteBufferSize(bytes(buffers.writeBuffer()));
            protocol.setMaxHttpResponseHeaderSize(bytes(buffers.responseHeaderBuffer()));
            protocol.setMaxTrailerSize((int) Math.max(ConnectionBufferProperties.SMALLEST_TRAILER.toBytes(),
                    buffers.trailerBuffer().toBytes()));
            protocol.setCharBuffers(connector, buffers.charBuffer());
            protocol.setReleaseOnOpenStream(buffers.releaseOnOpenStream());
            long largeAnswer = buffers.largeAnswerWriteBuffer().toBytes();
            protocol.setLargeAnswerWriteBuffer(largeAnswer > bytes(buffers.writeBuffer()) ? (int) largeAnswer : 0);
        }
    }

    private static int bytes(DataSize size) {
        return (int) Math.max(ConnectionBufferProperties.SMALLEST.toBytes(), size.toBytes());
    }
}
