package io.convtrail.app.timeout;

import org.axonframework.config.Configuration;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.messaging.timeout.AxonTaskJanitor;
import org.axonframework.messaging.timeout.HandlerTimeoutHandlerEnhancerDefinition;
import org.axonframework.messaging.timeout.TaskTimeoutSettings;
import org.axonframework.messaging.timeout.UnitOfWorkTimeoutInterceptor;
import org.axonframework.springboot.TimeoutProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Axon's timeouts, as its Spring Boot auto-configuration sets them from {@code axon.timeout.*}, with one
 * difference: the command bus's time limit is {@link CommandTimeLimit}, which keeps the same settings
 * without a stack trace of the request thread per command. Axon's own auto-configuration is off
 * ({@code axon.timeout.enabled: false} in application.yml); this takes its place. Setting
 * {@code axon.timeout.enabled=true} brings Axon's back whole, and this steps aside.
 */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "axon.timeout", name = "enabled", havingValue = "false")
@EnableConfigurationProperties(TimeoutProperties.class)
class AxonTimeoutConfiguration {

    @Bean
    HandlerTimeoutHandlerEnhancerDefinition messageTimeoutHandlerEnhancerDefinition(TimeoutProperties properties) {
        return new HandlerTimeoutHandlerEnhancerDefinition(properties.getHandler().toMessageHandlerTimeoutConfiguration());
    }

    @Bean
    CommandTimeLimit commandTimeLimit(TimeoutProperties properties) {
        return CommandTimeLimit.onOwnThread(properties.getTransaction().getCommandBus(), AxonTaskJanitor.LOGGER);
    }

    @Bean
    ConfigurerModule axonTimeoutConfigurerModule(TimeoutProperties properties, CommandTimeLimit commandTimeLimit) {
        TimeoutProperties.TransactionTimeoutProperties transaction = properties.getTransaction();
        return new ConfigurerModule() {
            @Override
            public void configureModule(org.axonframework.config.Configurer configurer) {
                configurer.eventProcessing().registerDefaultHandlerInterceptor((configuration, name) -> limit(
                        "EventProcessor " + name,
                        transaction.getEventProcessor().getOrDefault(name, transaction.getEventProcessors())));
                configurer.onStart(Integer.MIN_VALUE, () -> {
                    Configuration configuration = configurer.buildConfiguration();
                    configuration.commandBus().registerHandlerInterceptor(commandTimeLimit);
                    configuration.queryBus().registerHandlerInterceptor(
                            limit(configuration.queryBus().getClass().getSimpleName(), transaction.getQueryBus()));
                    configuration.deadlineManager().registerHandlerInterceptor(
                            limit(configuration.deadlineManager().getClass().getSimpleName(), transaction.getDeadline()));
                });
            }

            @Override
            public int order() {
                return Integer.MIN_VALUE;
            }
        };
    }

    private static UnitOfWorkTimeoutInterceptor limit(String component, TaskTimeoutSettings settings) {
        return new UnitOfWorkTimeoutInterceptor(component, settings.getTimeoutMs(), settings.getWarningThresholdMs(),
                settings.getWarningIntervalMs());
    }
}
