package io.convtrail.app.web;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The edge filters, ahead of everything else that reads a request: outermost the one that turns other
 * handlers' refusals into problem+json, then the rate limit (a refused request costs the least), then
 * the body size limit.
 */
@Configuration(proxyBeanMethods = false)
class RequestLimitsConfiguration {

    @Bean
    FilterRegistrationBean<ProblemResponseFilter> problemResponseFilter(ProblemFactory problems) {
        FilterRegistrationBean<ProblemResponseFilter> registration =
                new FilterRegistrationBean<>(new ProblemResponseFilter(problems));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean
    FilterRegistrationBean<ClientRateLimitFilter> clientRateLimitFilter(ProblemFactory problems,
                                                                        RequestLimitProperties limits) {
        FilterRegistrationBean<ClientRateLimitFilter> registration =
                new FilterRegistrationBean<>(new ClientRateLimitFilter(problems, limits));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    @Bean
    FilterRegistrationBean<BodySizeLimitFilter> bodySizeLimitFilter(ProblemFactory problems,
                                                                    RequestLimitProperties limits) {
        FilterRegistrationBean<BodySizeLimitFilter> registration =
                new FilterRegistrationBean<>(new BodySizeLimitFilter(problems, limits));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
        return registration;
    }
}
