package io.convtrail.app.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.core.io.support.SpringFactoriesLoader;

import java.net.SocketTimeoutException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The library events that carry a stack trace on a path a client can take are written on one line, with
 * the exception and its causes; every other logger's events keep their exception.
 */
class OneLineLibraryLogsTest {

    private final LoggerContext context = new LoggerContext();
    private final ListAppender<ILoggingEvent> written = new ListAppender<>();

    @BeforeEach
    void logback() {
        written.setContext(context);
        written.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(written);
        OneLineLibraryLogs filter = new OneLineLibraryLogs();
        filter.setContext(context);
        filter.start();
        context.addTurboFilter(filter);
    }

    @Test
    void aBrokenConnectionIsOneLineWithItsCauses() {
        SQLException failure = new SQLException("An I/O error occurred while sending to the backend.\n  Detail: gone",
                "08006", new SocketTimeoutException("Read timed out"));
        context.getLogger("com.zaxxer.hikari.pool.ProxyConnection").warn(
                "{} - Connection {} marked as broken because of SQLSTATE({}), ErrorCode({})",
                "HikariPool-1", "PgConnection@1", "08006", 0, failure);

        assertThat(written.list).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.WARN);
            assertThat(event.getLoggerName()).isEqualTo("com.zaxxer.hikari.pool.ProxyConnection");
            assertThat(event.getThrowableProxy()).isNull();
            assertThat(event.getFormattedMessage()).doesNotContain("\n")
                    .isEqualTo("HikariPool-1 - Connection PgConnection@1 marked as broken because of SQLSTATE(08006), "
                            + "ErrorCode(0): java.sql.SQLException: An I/O error occurred while sending to the backend. "
                            + "Detail: gone; caused by java.net.SocketTimeoutException: Read timed out");
        });
    }

    @Test
    void aRollbackThatFailsTooIsOneLine() {
        context.getLogger("org.springframework.transaction.support.TransactionTemplate")
                .error("Application exception overridden by rollback exception", new IllegalStateException("export"));

        assertThat(written.list).singleElement().satisfies(event -> {
            assertThat(event.getThrowableProxy()).isNull();
            assertThat(event.getFormattedMessage())
                    .isEqualTo("Application exception overridden by rollback exception: java.lang.IllegalStateException: export");
        });
    }

    @Test
    void otherLoggersAndLevelsOffAreLeftAlone() {
        context.getLogger("io.convtrail.anything").warn("kept", new IllegalStateException("with its trace"));
        Logger quiet = context.getLogger("com.zaxxer.hikari.pool.ProxyConnection");
        quiet.setLevel(Level.ERROR);
        quiet.warn("dropped", new IllegalStateException("below the logger's level"));
        quiet.error("no exception, untouched");

        assertThat(written.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly("kept", "no exception, untouched");
        assertThat(written.list.get(0).getThrowableProxy().getMessage()).isEqualTo("with its trace");
    }

    @Test
    void theInstallerAddsTheFilterOnceToTheApplicationsLogback() {
        assertThat(SpringFactoriesLoader.forDefaultResourceLocation().load(ApplicationListener.class))
                .hasAtLeastOneElementOfType(OneLineLibraryLogsInstaller.class);
        LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
        OneLineLibraryLogsInstaller installer = new OneLineLibraryLogsInstaller();
        installer.onApplicationEvent(null);
        installer.onApplicationEvent(null);

        assertThat(logback.getTurboFilterList()).filteredOn(OneLineLibraryLogs.class::isInstance).hasSize(1);
    }
}
