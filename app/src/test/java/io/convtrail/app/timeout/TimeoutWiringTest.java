package io.convtrail.app.timeout;

import io.convtrail.app.ConvtrailIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanDefinitionHolder;
import org.springframework.beans.factory.config.ConstructorArgumentValues;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.web.FilterChainProxy;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a turn's request thread no longer pays for: Axon's command-bus timeout (a stack trace per command) is
 * replaced by {@link CommandTimeLimit}, and Spring Security's chain is not wrapped in its handler-lookup cache
 * filter (the rules themselves: {@code SecurityMatrixTest}).
 */
@ConvtrailIntegrationTest
class TimeoutWiringTest {

    @Autowired
    ConfigurableApplicationContext context;

    @Test
    void theCommandBusIsLimitedByTheSweepNotByAxonsStackTracingInterceptor() {
        assertThat(context.getBeansOfType(CommandTimeLimit.class)).hasSize(1);
        assertThat(context.getBeanNamesForType(
                org.axonframework.springboot.autoconfig.AxonTimeoutAutoConfiguration.class)).isEmpty();
    }

    @Test
    void theSecurityFilterChainRunsWithoutTheHandlerLookupCacheFilter() {
        BeanDefinition chain = context.getBeanFactory().getBeanDefinition("springSecurityFilterChain");
        List<String> filters = new ArrayList<>();
        collect(chain, filters);

        assertThat(filters).noneMatch(filter -> filter.contains("HandlerMappingIntrospector"));
        assertThat(context.getBean("springSecurityFilterChain")).isInstanceOf(FilterChainProxy.class);
    }

    /** Every bean class in the chain's definition, down through the composites that wrap it. */
    private static void collect(BeanDefinition definition, List<String> classes) {
        classes.add(String.valueOf(definition.getBeanClassName()));
        ConstructorArgumentValues.ValueHolder argument = definition.getConstructorArgumentValues()
                .getIndexedArgumentValue(0, List.class);
        if (argument != null && argument.getValue() instanceof List<?> filters) {
            for (Object filter : filters) {
                if (filter instanceof BeanDefinition nested) {
                    collect(nested, classes);
                } else if (filter instanceof BeanDefinitionHolder holder) {
                    collect(holder.getBeanDefinition(), classes);
                }
            }
        }
    }
}
