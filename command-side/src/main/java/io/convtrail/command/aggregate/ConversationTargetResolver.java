package io.convtrail.command.aggregate;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.common.annotation.AnnotationUtils;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;
import org.axonframework.modelling.command.VersionedAggregateIdentifier;

import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

/**
 * Which conversation a command is for: the record component marked {@link TargetAggregateIdentifier},
 * its accessor found once per command class. Axon's {@link AnnotationCommandTargetResolver} answers the
 * same, but looks for the annotation again on every command (a copy of the class's declared methods and
 * fields each time, three commands per turn); it still answers for anything else (a command that is no
 * record, one with a {@link TargetAggregateVersion}, or one without an identifier value), with its own
 * messages.
 */
public final class ConversationTargetResolver implements CommandTargetResolver {

    private final CommandTargetResolver annotations = AnnotationCommandTargetResolver.builder().build();

    /** The identifier's accessor per command class; null where Axon's resolver answers. */
    private final ClassValue<Method> accessors = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
            return identifierAccessor(type);
        }
    };

    @Override
    public VersionedAggregateIdentifier resolveTarget(CommandMessage<?> command) {
        Object payload = command.getPayload();
        Method accessor = payload == null ? null : accessors.get(payload.getClass());
        if (accessor != null) {
            Object identifier = invoke(accessor, payload);
            if (identifier != null) {
                return new VersionedAggregateIdentifier(identifier, null);
            }
        }
        return annotations.resolveTarget(command);
    }

    private static Object invoke(Method accessor, Object payload) {
        try {
            return accessor.invoke(payload);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalArgumentException("An exception occurred while extracting aggregate information "
                    + "form a command", e);
        }
    }

    /** The one public record component whose accessor or field is marked as the target, if no version is. */
    static Method identifierAccessor(Class<?> type) {
        if (!type.isRecord() || !java.lang.reflect.Modifier.isPublic(type.getModifiers())) {
            return null;
        }
        List<Method> marked = new ArrayList<>();
        for (RecordComponent component : type.getRecordComponents()) {
            Method accessor = component.getAccessor();
            Field field = field(type, component.getName());
            if (isMarked(accessor, TargetAggregateVersion.class) || isMarked(field, TargetAggregateVersion.class)) {
                return null;
            }
            if (isMarked(accessor, TargetAggregateIdentifier.class) || isMarked(field, TargetAggregateIdentifier.class)) {
                marked.add(accessor);
            }
        }
        for (Method method : type.getDeclaredMethods()) {
            if (isMarked(method, TargetAggregateIdentifier.class) && !marked.contains(method)
                    || isMarked(method, TargetAggregateVersion.class)) {
                return null; // marked outside the components: as Axon's resolver decides
            }
        }
        return marked.size() == 1 ? marked.get(0) : null;
    }

    private static boolean isMarked(AccessibleObject element, Class<? extends java.lang.annotation.Annotation> mark) {
        return element != null && AnnotationUtils.isAnnotationPresent(element, mark);
    }

    private static Field field(Class<?> type, String name) {
        try {
            return type.getDeclaredField(name);
        } catch (NoSuchFieldException e) {
            return null;
        }
    }
}
