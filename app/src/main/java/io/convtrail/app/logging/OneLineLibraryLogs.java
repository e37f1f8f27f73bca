package io.convtrail.app.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;
import org.slf4j.helpers.MessageFormatter;

import java.util.Set;

/**
 * Writes the events of a few library loggers that attach an exception on one line: their message, then the
 * exception and its causes, each as {@code type: message}, without the stack trace. Without it a request
 * that fails this way writes 100 lines or more to the log (docs/operations.md: the log has one line per
 * event). Other loggers pass untouched. Installed by {@link OneLineLibraryLogsInstaller} once Spring Boot has
 * configured Logback (a turbo filter added earlier would be dropped by Boot's reset).
 */
public final class OneLineLibraryLogs extends TurboFilter {

    /** The loggers whose events go on one line, and when each writes one. */
    static final Set<String> LOGGERS = Set.of(
            // "Connection … marked as broken because of SQLSTATE(…)": a statement's connection failed, e.g. the
            // driver's socket timeout on a long export; the request's own failure is logged and answered already
            "com.zaxxer.hikari.pool.ProxyConnection",
            // "Application exception overridden by rollback exception": the rollback after such a failure failed
            // too, on the same broken connection; the rollback's exception is what the caller gets
            "org.springframework.transaction.support.TransactionTemplate");
    private static final int CAUSES = 5;
    private static final String FQCN = OneLineLibraryLogs.class.getName();
    private static final ThreadLocal<Boolean> WRITING = new ThreadLocal<>();

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level == null || format == null || WRITING.get() != null || !LOGGERS.contains(logger.getName())) {
            return FilterReply.NEUTRAL;
        }
        Throwable thrown = t != null ? t : MessageFormatter.getThrowableCandidate(params);
        if (thrown == null) {
            return FilterReply.NEUTRAL;
        }
        if (logger.isEnabledFor(level)) {
            String message = MessageFormatter.arrayFormat(format, params).getMessage();
            WRITING.set(Boolean.TRUE);
            try {
                logger.log(marker, FQCN, Level.toLocationAwareLoggerInteger(level), message + ": " + summary(thrown),
                        null, null);
            } finally {
                WRITING.remove();
            }
        }
        return FilterReply.DENY;
    }

    /** The exception and its causes (a few, no repeats) as {@code type: message; caused by …}, on one line. */
    static String summary(Throwable thrown) {
        StringBuilder line = new StringBuilder();
        Throwable cause = thrown;
        for (int i = 0; cause != null && i < CAUSES; i++) {
            if (i > 0) {
                line.append("; caused by ");
            }
            line.append(cause.toString().replaceAll("\\s*\\R\\s*", " ").strip());
            cause = cause.getCause() == cause ? null : cause.getCause();
        }
        return line.toString();
    }
}
