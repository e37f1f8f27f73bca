package io.convtrail.app.logging;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

/**
 * Adds {@link OneLineLibraryLogs} to Logback right after Spring Boot's logging set-up (which resets Logback,
 * turbo filters included), once per set-up. Registered in {@code META-INF/spring.factories}: it must run before
 * any bean exists, so a bean could not do it. Without Logback (another SLF4J binding) it does nothing.
 */
public final class OneLineLibraryLogsInstaller implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback
                && logback.getTurboFilterList().stream().noneMatch(OneLineLibraryLogs.class::isInstance)) {
            OneLineLibraryLogs filter = new OneLineLibraryLogs();
            filter.setContext(logback);
            filter.start();
            logback.addTurboFilter(filter);
        }
    }

    @Override
    public int getOrder() {
        return LoggingApplicationListener.DEFAULT_ORDER + 1;
    }
}
