package io.convtrail.app.web;

import io.micrometer.core.instrument.Metrics;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * Tomcat's error report for requests it refuses itself, before the application sees them (a path
 * with an encoded {@code /} or NUL, a malformed URI): problem+json like every other refusal, not
 * Tomcat's HTML page. It cannot reach the Spring context, so it counts through Micrometer's global
 * registry (which Spring Boot's registry joins) and logs nothing: Tomcat's own words stay at DEBUG.
 * Tomcat closes the connection after such a refusal, so a small body is read first ({@link SmallBodies}).
 */
public class ProblemReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.isCommitted() || response.getContentWritten() > 0) {
            return;
        }
        HttpStatus known = HttpStatus.resolve(status);
        String reason = ProblemFactory.reasonFor(known == null ? HttpStatus.BAD_REQUEST : known).slug();
        String title = known == null ? "Error" : known.getReasonPhrase();
        Metrics.counter("convtrail.requests.refused", "reason", reason, "status", Integer.toString(status)).increment();
        if (request.getContext() == null) {
            // refused before it was mapped to the application, which then never read the body
            SmallBodies.drainQuietly(request);
        }
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write("{\"type\":\"" + ProblemFactory.TYPE_PREFIX + (status >= 500 ? "internal-error" : reason)
                        + "\",\"title\":\"" + title + "\",\"status\":" + status
                        + ",\"detail\":\"The server refused the request before it reached the application ("
                        + title + ").\"}");
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException gone) {
            // the client is gone: nothing left to answer
        }
    }
}
