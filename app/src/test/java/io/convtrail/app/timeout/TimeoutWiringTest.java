package io.convtrail.app.timeout;

import io.convtrail.app.ConvtrailIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.security.web.FilterChainProxy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a turn's request thread no longer pays for: Axon's command-bus timeout (a stack trace per command) is
 * replaced by {@link CommandTimeLimit}, and Spring Security's chain is not wrapped in its handler-lookup cache
 * filter (the rules themselves: {@code SecurityMatrixTest}).
 */
@ConvtrailIntegrationTest
class TimeoutWiringTest {

    @Autowired
    ApplicationContext context;

    @Test
    void theCommandBusIsLimitedByTheSweepNotByAxonsStackTracingInterceptor() {
        assertThat(context.getBeansOfType(CommandTimeLimit.class)).hasSize(1);
        assertThat(context.getBeanNamesForType(
                org.axonframework.springboot.autoconfig.AxonTimeoutAutoConfiguration.class)).isEmpty();
    }

    @Test
    void theSecurityFilterChainRunsWithoutTheHandlerLookupCacheFilter() {
        Object chain = context.getBean("springSecurityFilterChain");
        assertThat(chain.getClass()).isEqualTo(FilterChainProxy.class);
    }
}
