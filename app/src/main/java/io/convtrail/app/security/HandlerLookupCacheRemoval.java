package io.convtrail.app.security;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanDefinitionHolder;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.ConstructorArgumentValues;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.security.web.context.AbstractSecurityWebApplicationInitializer;

import java.util.List;

/**
 * Takes Spring Security's handler-lookup cache filter out from in front of its filter chain. With Spring MVC
 * present, Spring Security 6 wraps the chain ({@code springSecurityFilterChain}) in a composite whose first
 * filter looks up the request's handler (every handler mapping, every pattern) and keeps the answer for
 * its MVC request matchers and the CORS lookup; the dispatcher then looks it up again. Here no rule uses an
 * MVC matcher (the rules are path patterns, {@link SecurityConfiguration#requestMatcherBuilder()}) and CORS has
 * its own source ({@link CrossOriginPolicy}), so nothing reads that cache: the lookup was ~5 % of a turn's
 * request thread for nothing. The chain itself is left as Spring Security built it. (Spring Security 7 drops
 * the filter; then this goes.)
 */
final class HandlerLookupCacheRemoval implements BeanFactoryPostProcessor {

    static final String COMPOSITE = "org.springframework.security.config.annotation.web.configuration"
            + ".WebMvcSecurityConfiguration$CompositeFilterChainProxy";

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        String name = AbstractSecurityWebApplicationInitializer.DEFAULT_FILTER_NAME;
        if (!(beanFactory instanceof BeanDefinitionRegistry registry) || !registry.containsBeanDefinition(name)) {
            return;
        }
        BeanDefinition composite = registry.getBeanDefinition(name);
        if (!COMPOSITE.equals(composite.getBeanClassName())) {
            return;
        }
        BeanDefinition chain = chainOf(composite);
        if (chain == null) {
            throw new IllegalStateException("Spring Security's composite filter chain has a shape this version of "
                    + "convtrail does not know: no filter chain proxy in " + composite);
        }
        registry.removeBeanDefinition(name);
        registry.registerBeanDefinition(name, chain);
    }

    /** The composite's filters are the cache filter's factory and the original chain's definition. */
    private static BeanDefinition chainOf(BeanDefinition composite) {
        ConstructorArgumentValues.ValueHolder filters = composite.getConstructorArgumentValues()
                .getIndexedArgumentValue(0, List.class);
        if (filters == null || !(filters.getValue() instanceof List<?> list)) {
            return null;
        }
        for (Object filter : list) {
            BeanDefinition definition = filter instanceof BeanDefinitionHolder holder ? holder.getBeanDefinition()
                    : filter instanceof BeanDefinition plain ? plain : null;
            if (definition != null && !String.valueOf(definition.getBeanClassName()).endsWith("CacheFilterFactoryBean")) {
                return definition;
            }
        }
        return null;
    }
}
