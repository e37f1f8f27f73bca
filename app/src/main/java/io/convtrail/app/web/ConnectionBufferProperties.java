package io.convtrail.app.web;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;
import org.springframework.util.unit.DataSize;

/**
 * The HTTP connector's buffers per open connection ({@code convtrail.connection.*}). An open SSE stream
 * holds its connection's buffers for as long as it lives, so with thousands of streams these sizes,
 * not the traffic, decide the heap (Tomcat's defaults are 8 KB each; see {@link ConnectionBufferConfiguration}).
 *
 * @param readBuffer     the socket's read buffer; a larger body is read in more, smaller reads
 * @param writeBuffer    the socket's write buffer; Tomcat writes every answer through it, one system call per
 *                       buffer's worth
 * @param responseBuffer the response body's buffer; a body larger than it is sent chunked, as it is written
 * @param responseHeaderBuffer the response header buffer, which is also the limit of one response's headers;
 *                       Tomcat's 8 KB by default, since a response can echo the request (a redirect's Location
 *                       carries the request's query string, which the request header limit allows up to 8 KB)
 * @param trailerBuffer  the buffer for a chunked request's trailer section, allocated for every connection up front;
 *                       the service allows no trailer headers (Tomcat drops them), so it only has to hold the
 *                       empty trailer section or a few ignored fields; a larger one is refused with 400
 * @param charBuffer     the servlet request's and response's char buffers, in chars (Tomcat: 8 K chars for the request,
 *                       as many chars as the response buffer has bytes, with no setting); only a body read or written
 *                       as text passes through them, in more rounds when it is larger, and the service moves bodies
 *                       as bytes
 * @param largeAnswerWriteBuffer the socket write buffer lent to a connection while it answers a whole raw audit or
 *                       trace ({@link LargeAnswerWrites}), one per request thread; a write to the socket takes at most
 *                       this much (Tomcat writes through the connection's buffer), so a 9 MB trace takes 150 calls
 *                       instead of 4,600; {@code 0B}, or not larger than {@code writeBuffer}: not lent; at most 1 MB
 * @param releaseOnOpenStream whether an open SSE stream's connection lets go of its request head buffer (keeping a
 *                       copy of the head as long as it is) and its response header buffer while the stream lives,
 *                       and has them back for the connection's next request ({@link OpenStreamBuffers})
 */
@Validated
@ConfigurationProperties("convtrail.connection")
public record ConnectionBufferProperties(
        @DefaultValue("1KB") @NotNull DataSize readBuffer,
        @DefaultValue("2KB") @NotNull DataSize writeBuffer,
        @DefaultValue("4KB") @NotNull DataSize responseBuffer,
        @DefaultValue("8KB") @NotNull DataSize responseHeaderBuffer,
        @DefaultValue("256B") @NotNull DataSize trailerBuffer,
        @DefaultValue("256") @Min(16) int charBuffer,
        @DefaultValue("64KB") @NotNull DataSize largeAnswerWriteBuffer,
        @DefaultValue("true") boolean releaseOnOpenStream) {

    /** The most a request thread keeps for its lent write buffer (one per thread, up to Tomcat's 200 threads). */
    static final DataSize LARGEST_LENT = DataSize.ofMegabytes(1);

    public ConnectionBufferProperties {
        if (largeAnswerWriteBuffer != null && (largeAnswerWriteBuffer.toBytes() < 0
                || largeAnswerWriteBuffer.compareTo(LARGEST_LENT) > 0)) {
            throw new IllegalArgumentException("convtrail.connection.large-answer-write-buffer must be between 0B and "
                    + LARGEST_LENT.toKilobytes() + "KB, not " + largeAnswerWriteBuffer);
        }
    }

    /** Below this, Tomcat's reads and writes would take more system calls than the memory is worth. */
    static final DataSize SMALLEST = DataSize.ofBytes(512);
    /** A trailer section below this could not hold even a short ignored field. */
    static final DataSize SMALLEST_TRAILER = DataSize.ofBytes(64);
}
