package io.convtrail.query.stream;

import org.apache.tomcat.websocket.WsSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.standard.StandardWebSocketSession;
import org.springframework.web.socket.handler.WebSocketSessionDecorator;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;

/**
 * Writes {@link EncodedStompFrames} to a WebSocket session as one text message, its bytes as they
 * are. Sits under the session's {@code ConcurrentWebSocketSessionDecorator}, so its writes are
 * serialised with every other frame of the session; any other message passes through unchanged.
 * <p>
 * Why Tomcat's internals: the WebSocket API sends text only as a {@code String}, which Tomcat encodes
 * back to UTF-8 a character at a time ({@code CharBuffer.wrap(String)} has no array, so its
 * {@code Utf8Encoder} takes the slow path): with Spring's {@code TextMessage} a frame encoded to bytes
 * is decoded to a {@code String} and encoded again, per frame and session (6 % of the service's samples
 * with 1,000 STOMP subscribers). Tomcat's own {@code sendBytes} writes a binary message through the same
 * package-private method this calls with the text opcode; the bytes are valid UTF-8 (Jackson's and
 * ASCII headers). A binary message would need no reflection, but SockJS (the seed's client) and some
 * STOMP clients take text only. The method is looked up once, when the handler is built (a warning if
 * it is missing); without it, or on a SockJS session, the frames go as a {@code TextMessage} each, as
 * Spring sent them: correct, only slower.
 */
final class EncodedTextSession extends WebSocketSessionDecorator {

    private static final Logger log = LoggerFactory.getLogger(EncodedTextSession.class);
    private static final byte TEXT_OPCODE = 0x1;
    /** {@code WsRemoteEndpointImplBase.sendMessageBlock(byte, ByteBuffer, boolean)} on the session's endpoint, or null. */
    private static final MethodHandle SEND_BLOCK = sendBlock();

    EncodedTextSession(WebSocketSession delegate) {
        super(delegate);
    }

    /** Whether encoded frames reach Tomcat's socket without a {@code String} round trip. */
    static boolean writesBytes() {
        return SEND_BLOCK != null;
    }

    @Override
    public void sendMessage(WebSocketMessage<?> message) throws IOException {
        if (!(message instanceof EncodedStompFrames frames)) {
            super.sendMessage(message);
            return;
        }
        if (SEND_BLOCK != null && getDelegate() instanceof StandardWebSocketSession standard
                && standard.getNativeSession() instanceof WsSession tomcat) {
            send(tomcat, frames.getPayload());
        } else if (frames.frames() == 1) {
            super.sendMessage(new TextMessage(frames.getPayload()));
        } else {
            for (int frame = 0; frame < frames.frames(); frame++) {
                super.sendMessage(new TextMessage(frames.frame(frame)));
            }
        }
    }

    private static void send(WsSession session, byte[] frames) throws IOException {
        if (!session.isOpen()) {
            throw new IOException("the WebSocket session is closed");
        }
        try {
            SEND_BLOCK.invoke(session, TEXT_OPCODE, ByteBuffer.wrap(frames), true);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable unexpected) {
            throw new IOException(unexpected);
        }
    }

    private static MethodHandle sendBlock() {
        try {
            Class<?> endpointType = Class.forName("org.apache.tomcat.websocket.WsRemoteEndpointImplBase");
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            MethodHandle endpoint = MethodHandles.privateLookupIn(WsSession.class, lookup)
                    .findGetter(WsSession.class, "wsRemoteEndpoint", endpointType);
            MethodHandle block = MethodHandles.privateLookupIn(endpointType, lookup).findVirtual(endpointType,
                    "sendMessageBlock", MethodType.methodType(void.class, byte.class, ByteBuffer.class, boolean.class));
            // (WsSession, byte, ByteBuffer, boolean): the session's endpoint, then its send
            return MethodHandles.filterArguments(block, 0, endpoint);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            log.warn("STOMP frames are written as text messages re-encoded by the server: this Tomcat has no"
                    + " WsRemoteEndpointImplBase.sendMessageBlock ({})", e.toString());
            return null;
        }
    }
}
