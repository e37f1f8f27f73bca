package io.convtrail.query.stream;

import org.springframework.web.socket.WebSocketMessage;

import java.util.Arrays;

/**
 * One or more STOMP frames, already encoded, to leave as one WebSocket text message: what a
 * {@link StompSink} found waiting in one sender run. STOMP clients split a message at each frame's
 * NUL ({@code @stomp/stompjs}, Spring's {@code StompDecoder}, the bench), so several frames may share
 * one. It passes the session's {@code ConcurrentWebSocketSessionDecorator} like any other message
 * (counted by its length against {@code send-buffer-size-limit}, in order with Spring's own frames),
 * and {@link EncodedTextSession} writes its bytes as they are (or, to a session that is not a plain
 * WebSocket on Tomcat, e.g. SockJS, whose frames grow by JSON escaping, one text message per frame, as
 * Spring wrote them).
 */
final class EncodedStompFrames implements WebSocketMessage<byte[]> {

    private final byte[] bytes;
    /** Where each frame ends (exclusive), in order; the last is {@code bytes.length}. */
    private final int[] ends;

    EncodedStompFrames(byte[] bytes, int[] ends) {
        this.bytes = bytes;
        this.ends = ends;
    }

    int frames() {
        return ends.length;
    }

    /** The frame at {@code index}, copied. */
    byte[] frame(int index) {
        int start = index == 0 ? 0 : ends[index - 1];
        return Arrays.copyOfRange(bytes, start, ends[index]);
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
        return "EncodedStompFrames[" + ends.length + " frames, " + bytes.length + " bytes]";
    }
}
