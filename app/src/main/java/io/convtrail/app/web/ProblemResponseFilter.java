package io.convtrail.app.web;

import io.convtrail.api.refusal.RefusedException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Some handlers outside Spring MVC's controllers answer a refusal in a shape of their own: SockJS
 * (an empty 404 or 405, a plain-text 400) and the actuator (an empty 404). This filter holds back
 * the body of any 4xx that is not problem+json and, once the handler is done, answers the same
 * status as problem+json through the {@link ProblemFactory} instead, the handler's text (if short
 * and printable) as the detail. Error statuses sent with {@code sendError} are left to the
 * container, which forwards them to the error controller.
 */
class ProblemResponseFilter extends OncePerRequestFilter {

    private final ProblemFactory problems;

    ProblemResponseFilter(ProblemFactory problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        RefusalCatcher catcher = new RefusalCatcher(response);
        chain.doFilter(request, catcher);
        if (catcher.caught() && !response.isCommitted()) {
            String said = catcher.held.toString(StandardCharsets.UTF_8).strip();
            HttpStatus status = HttpStatus.valueOf(catcher.status);
            String detail = !said.isEmpty() && said.length() <= 200 && !said.startsWith("{")
                    && said.codePoints().noneMatch(Character::isISOControl) ? said : status.getReasonPhrase();
            response.resetBuffer();
            response.setContentLengthLong(-1); // the handler may have declared the length of its own body
            problems.write(new RefusedException(ProblemFactory.reasonFor(status), detail), catcher.status, request,
                    response);
        }
    }

    /**
     * Lets everything through but the body of a 4xx that is not problem+json. Whether a response is
     * such a refusal is decided when its body is first touched: handlers set the content type in
     * different ways (some as a plain header), but always before the body.
     */
    private static final class RefusalCatcher extends HttpServletResponseWrapper {

        private final ByteArrayOutputStream held = new ByteArrayOutputStream();
        private int status = 200;
        private Boolean refusing;

        RefusalCatcher(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void setStatus(int sc) {
            super.setStatus(sc);
            status = sc;
        }

        boolean caught() {
            return refusing != null ? refusing : isRefusal();
        }

        private boolean decide() {
            if (refusing == null) {
                refusing = isRefusal();
            }
            return refusing;
        }

        @Override
        public void flushBuffer() throws IOException {
            if (!decide()) {
                super.flushBuffer();
            }
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            if (!decide()) {
                return super.getOutputStream();
            }
            return new ServletOutputStream() {
                @Override
                public void write(int b) {
                    if (held.size() < 1024) {
                        held.write(b);
                    }
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                    throw new UnsupportedOperationException("a refusal is written at once");
                }
            };
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            return decide() ? new PrintWriter(getOutputStream(), true, StandardCharsets.UTF_8) : super.getWriter();
        }

        private boolean isRefusal() {
            String type = getContentType();
            return status >= 400 && status < 500
                    && (type == null || !type.startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE));
        }
    }
}
