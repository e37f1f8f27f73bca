package io.convtrail.app.web;

import jakarta.servlet.Filter;
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
        return inEdgeOrder(new ProblemResponseFilter(problems), 0);
    }

    @Bean
    FilterRegistrationBean<ClientRateLimitFilter> clientRateLimitFilter(ProblemFactory problems,
                                                                        RequestLimitProperties limits) {
        return inEdgeOrder(new ClientRateLimitFilter(problems, limits), 1);
    }

    @Bean
    FilterRegistrationBean<BodySizeLimitFilter> bodySizeLimitFilter(ProblemFactory problems,
                                                                    RequestLimitProperties limits) {
        return inEdgeOrder(new BodySizeLimitFilter(problems, limits), 2);
    }

    /** Ahead of every other filter (Spring Security's included), in this order: problem bodies, rate, body size. */
    private static <F extends Filter> FilterRegistrationBean<F> inEdgeOrder(F filter, int position) {
        FilterRegistrationBean<F> registration = new FilterRegistrationBean<>(filter);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + position);
        return registration;
    }
}
