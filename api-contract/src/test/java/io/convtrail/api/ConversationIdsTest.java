package io.convtrail.api;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class ConversationIdsTest {

    @Test
    void acceptsOnlyTheCanonicalForm() {
        UUID id = UUID.randomUUID();
        assertThat(ConversationIds.parse(id.toString())).contains(id);
        assertThat(ConversationIds.parse(id.toString().toUpperCase())).contains(id);
        assertThat(ConversationIds.parse("1-1-1-1-1")).as("accepted by UUID.fromString, not canonical").isEmpty();
        assertThat(ConversationIds.parse("not-a-uuid")).isEmpty();
        assertThat(ConversationIds.parse("")).isEmpty();
        assertThat(ConversationIds.parse(null)).isEmpty();
    }
}
