package io.convtrail.app.timeout;

import org.axonframework.commandhandling.CommandResultMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.messaging.timeout.AxonTimeoutException;
import org.axonframework.messaging.timeout.TaskTimeoutSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Proxy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** The command bus's time limit on Axon's own bus: a late command is warned about, then interrupted and failed. */
class CommandTimeLimitTest {

    private final ScheduledExecutorService janitor = Executors.newSingleThreadScheduledExecutor();
    private final SimpleCommandBus bus = SimpleCommandBus.builder().build();

    @AfterEach
    void stop() {
        janitor.shutdownNow();
    }

    private CommandTimeLimit limit(int timeoutMs, int warningMs) {
        CommandTimeLimit limit = new CommandTimeLimit(new TaskTimeoutSettings(timeoutMs, warningMs, 20), janitor,
                LoggerFactory.getLogger(CommandTimeLimitTest.class));
        bus.registerHandlerInterceptor(limit);
        return limit;
    }

    private CommandResultMessage<?> send(String name) throws Exception {
        CompletableFuture<CommandResultMessage<?>> result = new CompletableFuture<>();
        bus.dispatch(new GenericCommandMessage<>(new GenericCommandMessage<>("payload"), name),
                (command, answer) -> result.complete(answer));
        return result.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aCommandPastItsTimeoutIsInterruptedAndFailsWithAxonsTimeout() throws Exception {
        CommandTimeLimit limit = limit(200, 50);
        bus.subscribe("slow", command -> {
            Thread.sleep(5_000);
            return "finished";
        });

        long started = System.nanoTime();
        CommandResultMessage<?> answer = send("slow");

        assertThat(answer.isExceptional()).isTrue();
        assertThat(answer.exceptionResult()).isInstanceOf(AxonTimeoutException.class)
                .hasMessageContaining("slow").hasMessageContaining("timed out");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(3_000);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(limit.running()).isZero();
    }

    @Test
    void aSweepThatFailsDoesNotEndTheLimitForLaterSweeps() throws Exception {
        // the first warning throws (a broken appender, say): the sweeps go on and the command is still interrupted
        Logger real = LoggerFactory.getLogger(CommandTimeLimitTest.class);
        AtomicBoolean failed = new AtomicBoolean();
        Logger failingOnce = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, arguments) -> {
                    if (method.getName().equals("warn") && failed.compareAndSet(false, true)) {
                        throw new IllegalStateException("appender broken");
                    }
                    return method.invoke(real, arguments);
                });
        bus.registerHandlerInterceptor(new CommandTimeLimit(new TaskTimeoutSettings(300, 50, 20), janitor, failingOnce));
        bus.subscribe("slow", command -> {
            Thread.sleep(5_000);
            return "finished";
        });

        long started = System.nanoTime();
        assertThat(send("slow").exceptionResult()).isInstanceOf(AxonTimeoutException.class);
        assertThat(failed).isTrue();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(3_000);
    }

    @Test
    void aCommandThatSwallowsTheInterruptStillFails() throws Exception {
        limit(100, -1);
        bus.subscribe("stubborn", command -> {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(400);
            while (System.nanoTime() < until) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException swallowed) {
                    // a lower layer that eats the interrupt
                }
            }
            return "finished";
        });

        assertThat(send("stubborn").exceptionResult()).isInstanceOf(AxonTimeoutException.class);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void aCommandInTimeAnswersAndItsThreadIsNeverInterruptedAfterwards() throws Exception {
        CommandTimeLimit limit = limit(150, 50);
        bus.subscribe("quick", command -> "done");

        for (int i = 0; i < 100; i++) {
            assertThat(send("quick").getPayload()).isEqualTo("done");
        }
        Thread.sleep(400);

        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(limit.running()).isZero();
    }

    @Test
    void aFailingCommandKeepsItsOwnException() throws Exception {
        limit(1_000, 500);
        bus.subscribe("refused", command -> {
            throw new IllegalArgumentException("no");
        });

        assertThat(send("refused").exceptionResult()).isInstanceOf(IllegalArgumentException.class).hasMessage("no");
    }
}
