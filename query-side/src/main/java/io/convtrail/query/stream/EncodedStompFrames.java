package io.convtrail.query.stream;

import org.springframework.web.socket.WebSocketMessage;

/**
 * One or more STOMP frames, already encoded, to leave as one WebSocket text message: what a
 * {@link StompSink} found waiting in one sender run. STOMP clients split a message at each frame's
 * NUL ({@code @stomp/stompjs}, Spring's {@code StompDecoder}, the bench), so several frames may share
 * one. It passes the session's {@code ConcurrentWebSocketSessionDecorator} like any other message
 * (counted by its length against {@code send-buffer-size-limit}, in order with Spring's own frames),
 * and {@link EncodedTextSession} writes its bytes as they are.
 */
final class EncodedStompFrames implements WebSocketMessage<byte[]> {

    private final byte[] bytes;

    EncodedStompFrames(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The encoded frames, shared: nobody writes into them. */
    @Override
    public byte[] getPayload() {
        return bytes;
    }

    @Override
    public int getPayloadLength() {
        return bytes.length;
    }

    @Override
    public boolean isLast() {
        return true;
    }

    @Override
    public String toString() {
        return "EncodedStompFrames[" + bytes.length + " bytes]";
    }
}
