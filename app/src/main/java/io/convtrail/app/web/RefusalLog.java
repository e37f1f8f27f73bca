package io.convtrail.app.web;

import io.convtrail.api.refusal.Refusal;
import io.github.bucket4j.Bucket;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every refusal counted ({@code convtrail.requests.refused}, tags {@code reason} and {@code status})
 * and logged as one line, at most 10 lines a second (bursts of 20): any client can send bad requests,
 * so the log must not be theirs to flood. Lines that did not fit are counted in the next one. A line
 * names the method, the path (abbreviated, non-printable characters escaped), the status, the reason
 * and the field; never the request's content, which may be personal data.
 */
@Component
public class RefusalLog {

    private static final Logger log = LoggerFactory.getLogger(RefusalLog.class);
    private static final int MAX_PATH = 120;

    private final MeterRegistry meters;
    private final Bucket lines = Bucket.builder()
            .addLimit(limit -> limit.capacity(20).refillGreedy(10, Duration.ofSeconds(1)))
            .build();
    private final AtomicLong suppressed = new AtomicLong();

    public RefusalLog(MeterRegistry meters) {
        this.meters = meters;
    }

    void refused(HttpServletRequest request, HttpStatusCode status, Refusal reason, String field) {
        refused(request.getMethod(), request.getRequestURI(), Integer.toString(status.value()), reason, field);
    }

    /** For refusals outside HTTP (a STOMP frame): {@code status} names what the client got instead. */
    public void refused(String method, String path, String status, Refusal reason, String field) {
        Counter.builder("convtrail.requests.refused")
                .description("requests answered with a 4xx problem (or refused STOMP frames), by reason")
                .tag("reason", reason.slug())
                .tag("status", status)
                .register(meters)
                .increment();
        if (!lines.tryConsume(1)) {
            suppressed.incrementAndGet();
            return;
        }
        long skipped = suppressed.getAndSet(0);
        log.info("Refused {} {}: {} {}{}{}", printable(method, 16), printable(path, MAX_PATH), status, reason.slug(),
                field == null ? "" : " (field " + printable(field, 64) + ")",
                skipped == 0 ? "" : " [" + skipped + " more refusals not logged]");
    }

    /** One line whatever the client sent: control characters escaped, long values cut. */
    static String printable(String text, int max) {
        if (text == null) {
            return "-";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), max) + 8);
        int i = 0;
        for (; i < text.length() && out.length() < max; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return i < text.length() ? out.append('…').toString() : out.toString();
    }
}
