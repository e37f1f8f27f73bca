package io.convtrail.api.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.api.event.VerboseMessage;
import org.junit.jupiter.api.Test;

import javax.crypto.SecretKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Sealing what a conversation records, and what a reader sees of it with the key, after an erasure, and without encryption. */
class ContentSealTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UUID CONVERSATION = UUID.randomUUID();
    private static final String PAYLOAD = "{\"_meta\":{\"stage\":\"MCP_TOOL_RESULT\",\"intent\":\"LOAN\",\"state\":\"X\"},"
            + "\"toolCode\":\"credit-rating\",\"result\":{\"rating\":\"A\",\"score\":780},\"durationMs\":301}";

    private final SecretKey key = ContentCipher.newKey();
    private final ContentSeal seal = ContentSeal.of(CONVERSATION, Optional.of(key));

    @Test
    void personalFieldsAreSealedValueByValueAndStructureStays() throws Exception {
        JsonNode stored = JSON.readTree(seal.stagePayload(PAYLOAD));
        assertThat(stored.get("toolCode").asText()).isEqualTo("credit-rating");
        assertThat(stored.get("durationMs").asInt()).isEqualTo(301);
        assertThat(stored.at("/_meta/intent").asText()).isEqualTo("LOAN");
        assertThat(ContentCipher.isSealed(stored.get("result").asText())).isTrue();
        assertThat(stored.toString()).doesNotContain("780");
    }

    @Test
    void withTheKeyAReaderSeesWhatWasWritten() throws Exception {
        String opened = opener(new ContentKey.Present(key)).stagePayload(seal.stagePayload(PAYLOAD));
        assertThat(JSON.readTree(opened)).isEqualTo(JSON.readTree(PAYLOAD));
    }

    @Test
    void afterAnErasureTheStructureStaysAndEveryPersonalValueReadsErased() throws Exception {
        JsonNode erased = JSON.readTree(opener(ContentKey.ERASED).stagePayload(seal.stagePayload(PAYLOAD)));
        assertThat(erased.get("result").asText()).isEqualTo(PersonalContent.ERASED);
        assertThat(erased.get("toolCode").asText()).isEqualTo("credit-rating");
        assertThat(erased.get("durationMs").asInt()).isEqualTo(301);
        assertThat(opener(ContentKey.ERASED).text(seal.text("hello"))).isEqualTo(PersonalContent.ERASED);
    }

    @Test
    void anErasedConversationWrittenInTheClearIsMaskedTooKeepingItsKeys() throws Exception {
        JsonNode erased = JSON.readTree(opener(ContentKey.ERASED).stagePayload(PAYLOAD));
        assertThat(erased.at("/result/rating").asText()).isEqualTo(PersonalContent.ERASED);
        assertThat(erased.at("/result/score").asText()).isEqualTo(PersonalContent.ERASED);
        assertThat(erased.get("toolCode").asText()).isEqualTo("credit-rating");
    }

    @Test
    void withoutEncryptionNothingChangesByteForByte() {
        ContentSeal none = ContentSeal.of(CONVERSATION, Optional.empty());
        assertThat(none.stagePayload(PAYLOAD)).isSameAs(PAYLOAD);
        assertThat(opener(ContentKey.NONE).stagePayload(PAYLOAD)).isSameAs(PAYLOAD);
        assertThat(opener(new ContentKey.Present(key)).stagePayload(PAYLOAD)).isSameAs(PAYLOAD);
    }

    @Test
    void slotsAndVerboseMessagesRoundTrip() {
        Map<String, Object> slots = new LinkedHashMap<>();
        slots.put("amount", 15000);
        slots.put("email", "jane@example.com");
        slots.put("empty", null);
        Map<String, Object> sealed = seal.values(slots);
        assertThat(sealed.values()).noneMatch(v -> "jane@example.com".equals(v) || Integer.valueOf(15000).equals(v));
        assertThat(seal.openValues(sealed)).isEqualTo(slots);

        VerboseMessage verbose = new VerboseMessage(3L, "TOOL_RESULT", "ToolOrchestrationStep", "OK", "LOAN", "X",
                null, "credit-rating", "INFO", "Credit rating received: A.", Map.of());
        VerboseMessage stored = seal.verbose(verbose);
        assertThat(stored.text()).startsWith(ContentCipher.PREFIX);
        assertThat(stored.stepName()).isEqualTo("ToolOrchestrationStep");
        assertThat(opener(new ContentKey.Present(key)).text(stored.text())).isEqualTo("Credit rating received: A.");
    }

    @Test
    void aSealedValueThatDoesNotOpenReadsUnreadableNotAFailure() throws Exception {
        String foreign = ContentSeal.of(CONVERSATION, Optional.of(ContentCipher.newKey())).stagePayload(PAYLOAD);
        JsonNode read = JSON.readTree(opener(new ContentKey.Present(key)).stagePayload(foreign));
        assertThat(read.get("result").asText()).isEqualTo(PersonalContent.UNREADABLE);
    }

    private static ContentOpener opener(ContentKey key) {
        return ContentOpener.of(CONVERSATION, key);
    }
}
