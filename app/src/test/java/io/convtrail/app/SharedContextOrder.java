package io.convtrail.app;

import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.Order;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.test.context.BootstrapUtils;
import org.springframework.test.context.BootstrapWith;
import org.springframework.test.context.MergedContextConfiguration;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the test classes that share a Spring application context one after another: first the classes
 * without one, then each context's classes together, by name within a group. The key is the one
 * Spring's context cache uses (the merged context configuration), so a group is exactly the classes
 * that share a context. With a context cache of one entry ({@code spring.properties}) a context is
 * closed when the next one starts, instead of every context running its processors, schedulers and
 * connection pool in the background until the JVM ends (and closing them all at its end, which took
 * Surefire's fork past its 30 s exit timeout). A class may run earlier in its group with {@link Order}
 * (lower first): {@code FuzzTest} on a store holding only its own data, the longest fault ITs first in
 * the fault suite (no context: one group).
 */
public class SharedContextOrder implements ClassOrderer {

    @Override
    public void orderClasses(ClassOrdererContext context) {
        Map<Class<?>, Optional<MergedContextConfiguration>> keys = new HashMap<>();
        Map<Optional<MergedContextConfiguration>, String> firstClassOfContext = new HashMap<>();
        for (ClassDescriptor descriptor : context.getClassDescriptors()) {
            Optional<MergedContextConfiguration> key = contextKey(descriptor.getTestClass());
            keys.put(descriptor.getTestClass(), key);
            firstClassOfContext.merge(key, descriptor.getTestClass().getName(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
        }
        // classes without a context sort first (" " comes before any class name), then one group per context
        Map<Class<?>, String> groups = new HashMap<>();
        keys.forEach((testClass, key) -> groups.put(testClass, key.isEmpty() ? " " : firstClassOfContext.get(key)));
        context.getClassDescriptors().sort(Comparator
                .comparing((ClassDescriptor d) -> groups.get(d.getTestClass()))
                .thenComparing(d -> d.findAnnotation(Order.class).map(Order::value).orElse(Order.DEFAULT))
                .thenComparing(d -> d.getTestClass().getName()));
    }

    /** The context cache's key for the class, or empty for a class that loads no Spring context. */
    static Optional<MergedContextConfiguration> contextKey(Class<?> testClass) {
        if (!MergedAnnotations.from(testClass, SearchStrategy.TYPE_HIERARCHY).isPresent(BootstrapWith.class)) {
            return Optional.empty();
        }
        return Optional.of(BootstrapUtils.resolveTestContextBootstrapper(testClass).buildMergedContextConfiguration());
    }
}
