package io.convtrail.app.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.testsupport.TestTokens;
import org.apache.catalina.Pipeline;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import io.convtrail.api.security.Role;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ref.WeakReference;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connector runs with the small per-connection buffers an open stream needs, and requests and
 * answers many times larger than those buffers still pass whole: a turn with the largest message
 * and input parameters, a bearer token beside a large header, and an audit answer of tens of KB.
 * The servlet request's and response's char buffers are small on the running connector (an open SSE
 * stream holds them for its life), and text read or written through them still passes whole.
 */
@ConvtrailIntegrationTest
class ConnectionBufferTest {

    @LocalServerPort
    int port;
    @Autowired
    ServletWebServerApplicationContext context;
    @Autowired
    ObjectMapper json;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void theConnectorHoldsSmallBuffersPerConnection() {
        Connector connector = ((TomcatWebServer) context.getWebServer()).getTomcat().getConnector();
        assertThat(connector.getProtocolHandler()).isInstanceOf(CompactHttp11NioProtocol.class);
        assertThat(connector.getProtocolHandler().getDesiredBufferSize()).isEqualTo(4 * 1024);
        assertThat(String.valueOf(connector.getProperty("socket.appReadBufSize"))).isEqualTo("1024");
        assertThat(String.valueOf(connector.getProperty("socket.appWriteBufSize"))).isEqualTo("2048");
        CompactHttp11NioProtocol protocol = (CompactHttp11NioProtocol) connector.getProtocolHandler();
        assertThat(protocol.getMaxHttpResponseHeaderSize()).isEqualTo(8 * 1024);
        assertThat(protocol.getMaxTrailerSize()).isEqualTo(256);
    }

    @Test
    void requestsAndResponsesHoldSmallCharBuffers() throws Exception {
        CompactHttp11NioProtocol protocol = protocol();
        List<List<Integer>> seen = new CopyOnWriteArrayList<>();
        try (Probe probe = new Probe(new ValveBase(true) {
            @Override
            public void invoke(Request request, Response response) throws IOException, jakarta.servlet.ServletException {
                seen.add(List.of(protocol.charBuffers().capacity(request), protocol.charBuffers().capacity(response)));
                getNext().invoke(request, response);
            }
        })) {
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> audit = http.send(HttpRequest.newBuilder(
                                URI.create(base() + "/api/v1/conversation/audit/" + UUID.randomUUID()))
                        .header("Authorization", TestTokens.adminBearer()).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(audit.statusCode()).isBetween(200, 499);
            }
        }
        assertThat(seen).hasSize(3).allSatisfy(chars -> assertThat(chars).containsExactly(256, 256));
    }

    @Test
    void textReadAndWrittenThroughTheSmallCharBuffersPassesWhole() throws Exception {
        String text = "ü-text ".repeat(3 * 1024);
        try (Probe probe = new Probe(new ValveBase(true) {
            @Override
            public void invoke(Request request, Response response) throws IOException, jakarta.servlet.ServletException {
                if (!request.getRequestURI().equals("/char-buffer-probe")) {
                    getNext().invoke(request, response);
                    return;
                }
                request.setCharacterEncoding("UTF-8");
                StringBuilder read = new StringBuilder();
                BufferedReader reader = request.getReader();
                for (int c = reader.read(); c >= 0; c = reader.read()) {
                    read.append((char) c);
                }
                response.setContentType("text/plain;charset=UTF-8");
                PrintWriter writer = response.getWriter();
                writer.write(read.toString());
                writer.write(read.toString());
                writer.flush();
            }
        })) {
            HttpResponse<String> echo = http.send(HttpRequest.newBuilder(URI.create(base() + "/char-buffer-probe"))
                    .header("Content-Type", "text/plain;charset=UTF-8")
                    .POST(HttpRequest.BodyPublishers.ofString(text)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(echo.statusCode()).isEqualTo(200);
            assertThat(echo.body()).as("many times the 256-char buffers, both ways").isEqualTo(text + text);
        }
    }

    @Test
    void aChunkedRequestBodyStillPassesWithTheSmallTrailerBuffer() throws Exception {
        UUID id = UUID.randomUUID();
        byte[] body = ("{\"conversationId\":\"" + id + "\",\"message\":\"" + "c".repeat(8 * 1024)
                + " interest rates?\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        HttpResponse<String> turn = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/conversation/message"))
                .header("Authorization", TestTokens.adminBearer())
                .header("Content-Type", "application/json")
                // a body of unknown length: sent chunked, ending with an (empty) trailer section
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(turn.statusCode()).as(turn.body()).isEqualTo(200);
    }

    @Test
    void requestsAndAnswersLargerThanTheBuffersPassWhole() throws Exception {
        UUID id = UUID.randomUUID();
        String message = "m".repeat(16 * 1024 - 16) + " interest rates?";
        String params = "{\"note\":\"" + "p".repeat(15 * 1024) + "\"}";
        String body = "{\"conversationId\":\"" + id + "\",\"message\":\"" + message + "\",\"inputParams\":" + params + "}";
        HttpResponse<String> turn = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/conversation/message"))
                .header("Authorization", TestTokens.adminBearer())
                .header("Content-Type", "application/json")
                // with the bearer token, a request head several times the socket's read buffer
                .header("X-Client-Context", "c".repeat(5 * 1024))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(turn.statusCode()).as(turn.body()).isEqualTo(200);

        HttpResponse<String> audit = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/conversation/audit/" + id))
                .header("Authorization", TestTokens.adminBearer()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(audit.statusCode()).isEqualTo(200);
        assertThat(audit.body().length()).as("an answer many times the response buffer").isGreaterThan(16 * 1024);
        JsonNode rows = json.readTree(audit.body());
        assertThat(rows.isArray() && !rows.isEmpty()).isTrue();
        assertThat(audit.body()).contains(message);
    }

    @Test
    void aRedirectEchoingALongQueryIsAnsweredWhole() throws Exception {
        // the API docs' address redirects to the UI with the request's query in Location: response headers
        // as long as the request's, which a smaller response header buffer failed with a 500
        String query = "stage=" + "x".repeat(6 * 1024);
        HttpResponse<String> redirect = http.send(HttpRequest.newBuilder(URI.create(base() + "/swagger-ui.html?" + query))
                .header("Authorization", TestTokens.adminBearer()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(redirect.statusCode()).as(redirect.body()).isBetween(200, 499);
    }

    @Test
    void anOpenStreamLetsGoOfItsHeadAndHeaderBuffersAndTheConnectionHasThemBackAfterIt() throws Exception {
        OpenStreamBuffers buffers = protocol().openStreams();
        assertThat(buffers).isNotNull();
        String path = "/api/v1/conversation/stream/" + UUID.randomUUID();
        List<Object> stream = new CopyOnWriteArrayList<>();
        List<List<Integer>> after = new CopyOnWriteArrayList<>();
        AtomicInteger clientPort = new AtomicInteger(-1);
        try (Probe probe = new Probe(new ValveBase(true) {
            @Override
            public void invoke(Request request, Response response) throws IOException, jakarta.servlet.ServletException {
                if (request.getRequestURI().equals(path)) {
                    stream.add(request.getCoyoteRequest());
                    stream.add(response.getCoyoteResponse());
                    stream.add(new WeakReference<>(buffers.headBytes(request.getCoyoteRequest())));
                    stream.add(new WeakReference<>(buffers.headerBytes(response.getCoyoteResponse())));
                } else if (request.getRemotePort() == clientPort.get()) {
                    // only this test's connection: other tests' streams end (and are dispatched) meanwhile
                    after.add(List.of(buffers.headBuffer(request.getCoyoteRequest()),
                            buffers.headerBuffer(response.getCoyoteResponse())));
                }
                getNext().invoke(request, response);
            }
        }); Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(20_000);
            clientPort.set(socket.getLocalPort());
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            // the stream ends when its access token expires; the connection stays open for the next request
            String token = TestTokens.bearer(TestTokens.token(TestTokens.ADMIN_SUBJECT, Duration.ofSeconds(4), Role.ADMIN));
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n"
                    + "Authorization: " + token + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String head = readUntil(in, "event:CONNECTED");
            assertThat(head).startsWith("HTTP/1.1 200").contains("text/event-stream");

            org.apache.coyote.Request coyoteRequest = (org.apache.coyote.Request) stream.get(0);
            org.apache.coyote.Response coyoteResponse = (org.apache.coyote.Response) stream.get(1);
            long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (buffers.headBuffer(coyoteRequest) > 2048 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(buffers.headBuffer(coyoteRequest)).as("a copy of the request head, not the 9 KB head buffer")
                    .isLessThan(2048);
            assertThat(buffers.headerBuffer(coyoteResponse)).as("no response header buffer while the stream is open")
                    .isZero();
            assertThat(buffers.headerFields(coyoteResponse)).as("no response header fields kept while the stream is open")
                    .isLessThanOrEqualTo(1);
            assertThat(coyoteResponse.getMimeHeaders().size()).isZero();
            assertThat(coyoteRequest.getHeader("authorization")).as("the head's fields still read whole").isEqualTo(token);
            assertThat(coyoteRequest.requestURI().toString()).isEqualTo(path);
            assertThat(buffers.headBytes(coyoteRequest)).as("the connection no longer holds its 9 KB head array")
                    .isNotSameAs(((WeakReference<?>) stream.get(2)).get());
            for (int i = 0; i < 100 && ((WeakReference<?>) stream.get(3)).get() != null; i++) {
                System.gc();
                Thread.sleep(20);
            }
            assertThat(((WeakReference<?>) stream.get(3)).get()).as("the response header buffer is freed").isNull();

            // the stream ends (token expiry); on the same connection, a request head and response headers
            // as large as Tomcat's buffers allow pass whole
            readUntil(in, "\r\n0\r\n\r\n");
            String query = "stage=" + "x".repeat(6 * 1024);
            out.write(("GET /swagger-ui.html?" + query + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "X-Client-Context: " + "c".repeat(1024) + "\r\nAuthorization: " + TestTokens.adminBearer()
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String redirect = readUntil(in, "\r\n\r\n");
            assertThat(redirect).as(redirect).matches("(?s)HTTP/1.1 [234]\\d\\d .*");
            assertThat(redirect.toLowerCase(java.util.Locale.ROOT)).as("the next response's header fields, all sent")
                    .contains("\r\nx-content-type-options: nosniff\r\n").contains("\r\ncache-control: ")
                    .contains("\r\ndate: ");
        }
        assertThat(after).as("the connection's next request has Tomcat's full buffers")
                .containsExactly(List.of(8 * 1024 + 1024, 8 * 1024));
    }

    @Test
    void aWholeAuditOrTraceIsWrittenThroughALentWriteBufferAndTheConnectionHasItsOwnBackAfterIt() throws Exception {
        LargeAnswerWrites lent = protocol().largeAnswers();
        assertThat(lent).isNotNull();
        UUID id = UUID.randomUUID();
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicInteger clientPort = new AtomicInteger(-1);
        try (Probe probe = new Probe(new ValveBase(true) {
            @Override
            public void invoke(Request request, Response response) throws IOException, jakarta.servlet.ServletException {
                if (request.getRemotePort() == clientPort.get()) {
                    seen.add(request.getRequestURI() + " " + lent.writeBufferCapacity(response.getCoyoteResponse()));
                }
                getNext().invoke(request, response);
            }
        }); Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(20_000);
            clientPort.set(socket.getLocalPort());
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (String path : List.of("/api/v1/conversation/audit/" + id + "/trace", "/api/v1/conversation/audit/" + id,
                    "/api/v1/conversation/audit/" + id + "/verify", "/api/v1/conversation/audit/" + id + "/trace")) {
                out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + TestTokens.adminBearer()
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String head = readUntil(in, "\r\n\r\n");
                assertThat(head).as(path).matches("(?s)HTTP/1.1 [234]\\d\\d .*");
                java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
                if (length.find()) {
                    in.readNBytes(Integer.parseInt(length.group(1)));
                } else {
                    readUntil(in, "\r\n0\r\n\r\n");
                }
            }
        }
        assertThat(seen).as("64 KB lent for a whole trace or raw audit, the connection's own 2 KB otherwise").containsExactly(
                "/api/v1/conversation/audit/" + id + "/trace " + 64 * 1024,
                "/api/v1/conversation/audit/" + id + " " + 64 * 1024,
                "/api/v1/conversation/audit/" + id + "/verify " + 2 * 1024,
                "/api/v1/conversation/audit/" + id + "/trace " + 64 * 1024);
    }

    @Test
    void onlyAWholeAuditOrTraceIsALargeAnswer() {
        for (String large : List.of("/api/v1/conversation/audit/x", "/api/v1/conversation/audit/x/trace")) {
            assertThat(LargeAnswerWrites.isLargeAnswer(coyoteRequest("GET", large))).as(large).isTrue();
        }
        for (String other : List.of("/api/v1/conversation/audit/", "/api/v1/conversation/audit//trace",
                "/api/v1/conversation/audit/x/verify", "/api/v1/conversation/audit/x/export",
                "/api/v1/conversation/audit/x/tracer", "/api/v1/conversation/stream/x", "/api/v1/conversation/message")) {
            assertThat(LargeAnswerWrites.isLargeAnswer(coyoteRequest("GET", other))).as(other).isFalse();
        }
        assertThat(LargeAnswerWrites.isLargeAnswer(coyoteRequest("POST", "/api/v1/conversation/audit/x"))).isFalse();
    }

    private static org.apache.coyote.Request coyoteRequest(String method, String path) {
        org.apache.coyote.Request request = new org.apache.coyote.Request();
        request.method().setString(method);
        request.requestURI().setString(path);
        return request;
    }

    /** Reads until {@code end} has been read, returning all that was read. */
    private static String readUntil(InputStream in, String end) throws IOException {
        StringBuilder read = new StringBuilder();
        while (read.indexOf(end) < 0) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection closed before " + end + " after: " + read);
            }
            read.append((char) b);
        }
        return read.toString();
    }

    private CompactHttp11NioProtocol protocol() {
        return (CompactHttp11NioProtocol) ((TomcatWebServer) context.getWebServer()).getTomcat().getConnector()
                .getProtocolHandler();
    }

    /** A valve in the running engine's pipeline for the length of a test: it sees Tomcat's own request and response. */
    private final class Probe implements AutoCloseable {

        private final Pipeline pipeline = ((TomcatWebServer) context.getWebServer()).getTomcat().getEngine().getPipeline();
        private final ValveBase valve;

        Probe(ValveBase valve) {
            this.valve = valve;
            pipeline.addValve(valve);
        }

        @Override
        public void close() {
            pipeline.removeValve(valve);
        }
    }

    private String base() {
        return "http://localhost:" + port;
    }
}
