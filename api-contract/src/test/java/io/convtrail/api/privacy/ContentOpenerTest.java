package io.convtrail.api.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.SecretKey;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reader opens a sealed payload without parsing the whole of it; what it answers is, byte for byte,
 * the payload parsed, every sealed value opened and the tree written again (what readers answered
 * before, and what the audit's and trace's byte-identical answers are checked against).
 */
class ContentOpenerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UUID CONVERSATION = UUID.randomUUID();

    private final SecretKey key = ContentCipher.newKey();
    private final ContentOpener opener = ContentOpener.of(CONVERSATION, new ContentKey.Present(key));

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"text\":\"I'd like 20 000 € — \\\"now\\\"\\n\\t\\u0001\",\"_meta\":{\"stage\":\"USER_INPUT\",\"turn\":3}}",
            "{\"args\":{\"amount\":20000,\"rate\":4.50,\"big\":123456789012345678901234567890,\"e\":1E+2},"
                    + "\"result\":[1.0,-0.0,null,true,{\"k\":\"v\"}],\"toolCode\":\"rates\"}",
            "{\"value\":\"enc:v1:not-sealed-by-us\",\"slot\":\"amount\",\"output\":{\"text\":\"ok\"}}",
            "{\"_meta\":{\"note\":\"enc:v1: in the clear\"},\"message\":\"\\\"enc:v1:quoted\\\"\",\"errorMessage\":\"x\"}",
            "{\"result\":\"enc:v1:\",\"metadata\":{\"enc:v1:key\":1}}",
            "{\"stepName\":\"NoPersonalFields\",\"durationMs\":3}",
            "{\"text\":\"plain words, é 中文 \uD83D\uDE00\",\"output\":\"\",\"value\":12,\"_meta\":{\"turn\":1}}"})
    void opensToTheBytesOfTheParsedTreeWrittenAgain(String payload) throws Exception {
        String stored = ContentSeal.of(CONVERSATION, Optional.of(key)).stagePayload(payload);

        assertThat(opener.stagePayload(stored)).isEqualTo(reference(stored));
        assertTheStoredBytesOpenAsTheText(stored, payload);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"text\":\"%s\",\"_meta\":{}}",
            "{\"a\":[\"%s\",\"%<s\"],\"b\":{\"c\":\"%<s\"}}",
            "{\"%s\":\"field names stay\",\"x\":1}",
            "{\"x\": \"%s\" , \"y\" : [ 1.50 ]}",
            "{\"x\":\"a\\\"%s\"}"})
    void aSealedValueAnywhereOpensAsTheTreeWouldOpenIt(String shape) throws Exception {
        String stored = shape.formatted(ContentCipher.seal(key, CONVERSATION, "{\"n\":1.50,\"s\":\"é\"}"));

        assertThat(opener.stagePayload(stored)).isEqualTo(reference(stored));
        assertTheStoredBytesOpenAsTheText(stored, shape);
    }

    /**
     * The stored UTF-8 opens to the UTF-8 of what the text opens to, with every key state; with nothing to
     * open, the answer is the stored array itself (no copy).
     */
    private void assertTheStoredBytesOpenAsTheText(String... stored) {
        for (ContentOpener reader : List.of(opener, ContentOpener.of(CONVERSATION, ContentKey.ERASED),
                ContentOpener.of(CONVERSATION, ContentKey.NONE),
                ContentOpener.of(CONVERSATION, new ContentKey.Present(ContentCipher.newKey())))) {
            for (String text : stored) {
                byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
                assertThat(new String(reader.stagePayload(utf8), StandardCharsets.UTF_8))
                        .isEqualTo(reader.stagePayload(text));
                if (reader.readsAsStored(utf8)) {
                    assertThat(reader.stagePayload(utf8)).isSameAs(utf8);
                }
            }
        }
        assertThat(opener.readsAsStored(stored[0].getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(!stored[0].contains(ContentCipher.PREFIX));
    }

    /** The payload parsed, each sealed string value replaced by its opened value, written again. */
    private JsonNode opened(JsonNode node) throws Exception {
        if (node.isTextual() && ContentCipher.isSealed(node.asText())) {
            try {
                return JSON.readTree(ContentCipher.open(key, CONVERSATION, node.asText()));
            } catch (ContentCipher.UnreadableException e) {
                return JSON.getNodeFactory().textNode(PersonalContent.UNREADABLE);
            }
        }
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                field.setValue(opened(field.getValue()));
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, opened(array.get(i)));
            }
        }
        return node;
    }

    private String reference(String stored) throws Exception {
        return opened(JSON.readTree(stored)).toString();
    }
}
