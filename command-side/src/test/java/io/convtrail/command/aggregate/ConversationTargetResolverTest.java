package io.convtrail.command.aggregate;

import io.convtrail.api.command.AbandonTurnCommand;
import io.convtrail.api.command.CompleteTurnCommand;
import io.convtrail.api.command.EraseConversationCommand;
import io.convtrail.api.command.RecordFeedbackCommand;
import io.convtrail.api.command.RecordTurnEventsCommand;
import io.convtrail.api.command.StartTurnCommand;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.VersionedAggregateIdentifier;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The conversation a command is for is what Axon's annotation resolver answers, for every command. */
class ConversationTargetResolverTest {

    private final ConversationTargetResolver resolver = new ConversationTargetResolver();
    private final AnnotationCommandTargetResolver axon = AnnotationCommandTargetResolver.builder().build();

    @Test
    void everyCommandResolvesAsAxonsAnnotationResolverDoes() throws Exception {
        for (Class<?> type : List.of(StartTurnCommand.class, RecordTurnEventsCommand.class, CompleteTurnCommand.class,
                AbandonTurnCommand.class, RecordFeedbackCommand.class, EraseConversationCommand.class)) {
            assertThat(ConversationTargetResolver.identifierAccessor(type)).as("%s resolved by its accessor", type)
                    .isNotNull();
            UUID conversation = UUID.randomUUID();
            GenericCommandMessage<Object> command = new GenericCommandMessage<>(command(type, conversation));
            VersionedAggregateIdentifier ours = resolver.resolveTarget(command);
            assertThat(ours).as(type.getSimpleName()).isEqualTo(axon.resolveTarget(command));
            assertThat(ours.getIdentifier()).isEqualTo(conversation.toString());
            assertThat(ours.getIdentifierValue()).isEqualTo(conversation);
            assertThat(ours.getVersion()).isNull();
        }
    }

    @Test
    void whatItDoesNotTakeAxonAnswersWithItsOwnMessage() {
        record Marked(@TargetAggregateIdentifier String id) {
        }
        assertThat(resolver.resolveTarget(new GenericCommandMessage<>(new Marked("a"))).getIdentifier()).isEqualTo("a");
        assertThatThrownBy(() -> resolver.resolveTarget(new GenericCommandMessage<>(new Marked(null))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not identify the target");
        assertThatThrownBy(() -> resolver.resolveTarget(new GenericCommandMessage<>("no identifier")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not identify the target");
    }

    /** The command with only its conversation id set (every other component its type's default). */
    private static Object command(Class<?> type, UUID conversation) throws Exception {
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            values[i] = components[i].getName().equals("conversationId") ? conversation : defaultOf(types[i]);
        }
        Constructor<?> constructor = type.getDeclaredConstructor(types);
        return constructor.newInstance(values);
    }

    private static Object defaultOf(Class<?> type) {
        if (type == List.class) {
            return List.of();
        }
        if (type == java.util.Map.class) {
            return java.util.Map.of();
        }
        if (!type.isPrimitive()) {
            return null;
        }
        if (type == boolean.class) {
            return false;
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == int.class) {
            return 0;
        }
        throw new IllegalArgumentException(type.toString());
    }
}
