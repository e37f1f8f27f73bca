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

    /** Spring Security's wrapper of the chain behind the cache filter (another wrapper may hold it). */
    static final String CACHING_COMPOSITE = "org.springframework.security.config.annotation.web.configuration"
            + ".WebMvcSecurityConfiguration$CompositeFilterChainProxy";

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        String name = AbstractSecurityWebApplicationInitializer.DEFAULT_FILTER_NAME;
        if (!(beanFactory instanceof BeanDefinitionRegistry registry) || !registry.containsBeanDefinition(name)) {
            return;
        }
        BeanDefinition chain = registry.getBeanDefinition(name);
        BeanDefinition withoutCache = withoutCacheFilter(chain);
        if (withoutCache != chain) {
            registry.removeBeanDefinition(name);
            registry.registerBeanDefinition(name, withoutCache);
        }
    }

    /**
     * The chain's definition with the caching wrapper replaced by what it wraps. Spring Security 6.5 wraps the
     * chain twice, in an order its post-processors decide: in the cache filter's composite, and in a composite
     * that parses the request's path once for every matcher ({@code ServletRequestPathFilter}, kept).
     */
    private static BeanDefinition withoutCacheFilter(BeanDefinition definition) {
        List<Object> filters = filtersOf(definition);
        if (filters == null) {
            return definition;
        }
        if (CACHING_COMPOSITE.equals(definition.getBeanClassName())) {
            for (Object filter : filters) {
                BeanDefinition wrapped = asDefinition(filter);
                if (wrapped != null && !String.valueOf(wrapped.getBeanClassName()).endsWith("CacheFilterFactoryBean")) {
                    return withoutCacheFilter(wrapped);
                }
            }
            throw new IllegalStateException("Spring Security's caching filter chain has a shape this version of "
                    + "convtrail does not know: no filter chain in " + definition);
        }
        for (int i = 0; i < filters.size(); i++) {
            BeanDefinition filter = asDefinition(filters.get(i));
            if (filter != null) {
                BeanDefinition withoutCache = withoutCacheFilter(filter);
                if (withoutCache != filter) {
                    filters.set(i, withoutCache);
                }
            }
        }
        return definition;
    }

    /** A composite's filters: its one constructor argument, a list of bean definitions. */
    @SuppressWarnings("unchecked")
    private static List<Object> filtersOf(BeanDefinition definition) {
        ConstructorArgumentValues.ValueHolder argument = definition.getConstructorArgumentValues()
                .getIndexedArgumentValue(0, List.class);
        return argument != null && argument.getValue() instanceof List<?> list ? (List<Object>) list : null;
    }

    private static BeanDefinition asDefinition(Object filter) {
        return filter instanceof BeanDefinitionHolder holder ? holder.getBeanDefinition()
                : filter instanceof BeanDefinition plain ? plain : null;
    }
}
