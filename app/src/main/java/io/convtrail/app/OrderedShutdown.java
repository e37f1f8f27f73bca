package io.convtrail.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;
import sun.misc.Signal;

/**
 * Stops the service on SIGTERM and SIGINT by closing the Spring context first and exiting only
 * afterwards. The JVM's own handling runs every shutdown hook at once, and the embedded PostgreSQL
 * library registers one that stops the database immediately, while Spring's hook is still draining
 * turns, which then failed against a stopped database. Closed this way, the context stops its parts
 * in order (turns drained, streams ended, web server, event processors, database last); the library's
 * hook then finds its database already stopped. The exit code is the JVM's convention for the signal
 * (143 for SIGTERM), which a supervisor reads as "stopped by signal".
 */
final class OrderedShutdown {

    private static final Logger log = LoggerFactory.getLogger(OrderedShutdown.class);

    private OrderedShutdown() {
    }

    static void install(ConfigurableApplicationContext context) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    log.info("SIG{} received: stopping", signal.getName());
                    // a non-daemon thread: once the context has stopped its last non-daemon thread, the JVM
                    // would otherwise end on its own (exit code 0) before the exit below (seen on a fresh clone)
                    Thread stopping = new Thread(() -> {
                        context.close();
                        // the JVM's convention for a signal, as its default handler would have exited
                        System.exit(128 + signal.getNumber());
                    }, "ordered-shutdown");
                    stopping.setDaemon(false);
                    stopping.start();
                });
            } catch (IllegalArgumentException unavailable) {
                // e.g. -Xrs: the JVM's default handling (shutdown hooks) stays in place
                log.debug("Cannot handle SIG{}: {}", name, unavailable.getMessage());
            }
        }
    }
}
