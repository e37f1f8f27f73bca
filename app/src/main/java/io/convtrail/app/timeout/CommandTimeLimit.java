package io.convtrail.app.timeout;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.timeout.AxonTimeoutException;
import org.axonframework.messaging.timeout.TaskTimeoutSettings;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;

import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The command bus's time limit, as Axon's {@code UnitOfWorkTimeoutInterceptor} sets it
 * ({@code axon.timeout.transaction.command-bus.*}: a warning with the thread's stack after the warning
 * threshold and every warning interval after it, the thread interrupted at the timeout, an
 * {@link AxonTimeoutException} for the command), without what that interceptor costs each command: Axon's
 * task takes the dispatching thread's whole stack trace when it starts (to name the caller, in a field it
 * never logs) and schedules, then cancels, a task on its janitor. Here a command only joins and leaves a set;
 * one sweep per warning interval looks at the commands still running, and a stack trace is taken only for
 * a command that is late enough to be warned about. Written by hand because Axon offers no way to keep the
 * limit and drop the trace.
 */
final class CommandTimeLimit implements MessageHandlerInterceptor<CommandMessage<?>>, AutoCloseable {

    private static final String RESOURCE_KEY = CommandTimeLimit.class.getName();

    private final long timeoutNanos;
    private final long warningThresholdNanos;
    private final long warningIntervalNanos;
    private final Logger logger;
    private final Set<Running> running = ConcurrentHashMap.newKeySet();
    private final ScheduledFuture<?> sweep;
    /** The sweeper's executor when this limit made it (and shuts it down on close), else null. */
    private final ScheduledExecutorService ownSweeper;

    /**
     * A limit swept by its own daemon thread: not Axon's janitor, whose thread is not a daemon and, once
     * started by the sweep, would keep a JVM whose context failed to start from exiting.
     */
    static CommandTimeLimit onOwnThread(TaskTimeoutSettings settings, Logger logger) {
        ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "command-time-limit");
            thread.setDaemon(true);
            return thread;
        });
        return new CommandTimeLimit(settings, sweeper, logger, sweeper);
    }

    CommandTimeLimit(TaskTimeoutSettings settings, ScheduledExecutorService janitor, Logger logger) {
        this(settings, janitor, logger, null);
    }

    private CommandTimeLimit(TaskTimeoutSettings settings, ScheduledExecutorService janitor, Logger logger,
                             ScheduledExecutorService ownSweeper) {
        this.ownSweeper = ownSweeper;
        this.timeoutNanos = nanosOrNever(settings.getTimeoutMs());
        this.warningThresholdNanos = nanosOrNever(settings.getWarningThresholdMs());
        this.warningIntervalNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, settings.getWarningIntervalMs()));
        this.logger = logger;
        long period = Math.max(1, Math.min(settings.getWarningIntervalMs(), 1000));
        this.sweep = janitor.scheduleWithFixedDelay(this::sweepOrLog, period, period, TimeUnit.MILLISECONDS);
    }

    private static long nanosOrNever(int millis) {
        return millis <= 0 ? Long.MAX_VALUE : TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        UnitOfWork<?> root = unitOfWork.root();
        if (root.resources().containsKey(RESOURCE_KEY)) {
            return chain.proceed();
        }
        Running command = new Running(Thread.currentThread(), unitOfWork.getMessage().getCommandName(), System.nanoTime());
        root.resources().put(RESOURCE_KEY, command);
        running.add(command);
        Object result = null;
        Exception failure = null;
        try {
            result = chain.proceed();
        } catch (Exception e) {
            failure = e;
        } finally {
            running.remove(command);
            command.finish();
        }
        if (command.interrupted) {
            Thread.interrupted();
            throw command.timedOut();
        }
        if (failure != null) {
            throw failure;
        }
        return result;
    }

    /**
     * A sweep that fails is logged and the next one runs: a periodic task that throws is never run again,
     * which would leave every later command without its limit.
     */
    private void sweepOrLog() {
        try {
            sweep();
        } catch (RuntimeException e) {
            logger.warn("Command time limit: a sweep failed, the next one follows: {}", e.toString());
        }
    }

    /** One look at every command still running: warn about the late ones, interrupt those past the timeout. */
    void sweep() {
        long now = System.nanoTime();
        for (Running command : running) {
            long elapsed = now - command.startNanos;
            if (elapsed >= timeoutNanos) {
                if (command.interrupt()) {
                    logger.info("{} on thread [{}] took {} ms, longer than its timeout: interrupted",
                            command.name(), command.thread.getName(), TimeUnit.NANOSECONDS.toMillis(elapsed));
                }
            } else if (elapsed >= warningThresholdNanos && elapsed >= command.nextWarningNanos) {
                command.nextWarningNanos = elapsed + warningIntervalNanos;
                logger.warn("{} on thread [{}] is taking a long time: {} ms so far, interrupted in {} ms. Stack: {}",
                        command.name(), command.thread.getName(), TimeUnit.NANOSECONDS.toMillis(elapsed),
                        timeoutNanos == Long.MAX_VALUE ? "never" : TimeUnit.NANOSECONDS.toMillis(timeoutNanos - elapsed),
                        stack(command.thread));
            }
        }
    }

    int running() {
        return running.size();
    }

    private static String stack(Thread thread) {
        return Arrays.stream(thread.getStackTrace()).map(StackTraceElement::toString).collect(Collectors.joining(" <- "));
    }

    @Override
    public void close() {
        sweep.cancel(false);
        if (ownSweeper != null) {
            ownSweeper.shutdownNow();
        }
    }

    private static final class Running {

        final Thread thread;
        final String commandName;
        final long startNanos;
        volatile boolean interrupted;
        volatile long nextWarningNanos;
        private boolean finished;

        Running(Thread thread, String commandName, long startNanos) {
            this.thread = thread;
            this.commandName = commandName;
            this.startNanos = startNanos;
        }

        /** Interrupts the thread only while it still runs this command, never the next thing it does. */
        synchronized boolean interrupt() {
            if (finished || interrupted) {
                return false;
            }
            interrupted = true;
            thread.interrupt();
            return true;
        }

        synchronized void finish() {
            finished = true;
        }

        String name() {
            return "Command " + commandName;
        }

        AxonTimeoutException timedOut() {
            return new AxonTimeoutException(name() + " has timed out");
        }
    }
}
