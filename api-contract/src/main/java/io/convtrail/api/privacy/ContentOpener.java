package io.convtrail.api.privacy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Turns what is stored into what a reader sees: every sealed value opened with the conversation's key,
 * or, once the conversation is erased, replaced by {@link PersonalContent#ERASED}; in an erased
 * conversation a personal field written in the clear (before encryption, or with it off) is masked the
 * same way. Text without anything to open is returned as it is, byte for byte.
 */
public final class ContentOpener {

    /** Verbose message fields that hold personal content. */
    public static final Set<String> VERBOSE_FIELDS = Set.of("text", "metadata");

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Where a sealed string value starts in a payload's text. */
    private static final String SEALED_STRING = "\"" + ContentCipher.PREFIX;
    private static final ByteNeedle SEALED_PREFIX_UTF8 = new ByteNeedle(ContentCipher.PREFIX);
    private static final ByteNeedle SEALED_STRING_UTF8 = new ByteNeedle(SEALED_STRING);
    private static final byte QUOTE = '"';
    private static final byte BACKSLASH = '\\';

    private final UUID conversationId;
    private final ContentKey key;

    private ContentOpener(UUID conversationId, ContentKey key) {
        this.conversationId = conversationId;
        this.key = key;
    }

    public static ContentOpener of(UUID conversationId, ContentKey key) {
        return new ContentOpener(conversationId, key);
    }

    public boolean erased() {
        return key instanceof ContentKey.Erased;
    }

    /** A stage payload as a reader sees it. */
    public String stagePayload(String json) {
        if (json != null && key instanceof ContentKey.Present && json.contains(ContentCipher.PREFIX)) {
            String spliced = spliced(json);
            if (spliced != null) {
                return spliced;
            }
        }
        return open(json, PersonalContent.STAGE_FIELDS);
    }

    /**
     * Whether {@link #stagePayload} answers this stored payload (its UTF-8) unchanged: nothing sealed in
     * it and nothing to mask. A reader can then copy the stored bytes without making a {@code String}.
     */
    public boolean readsAsStored(byte[] utf8) {
        return utf8 == null || (!erased() && indexOf(utf8, SEALED_PREFIX_UTF8, 0) < 0);
    }

    /**
     * {@link #stagePayload(String)} of a payload given as its stored UTF-8, as UTF-8: the stored bytes
     * themselves when nothing is to be opened or masked, sealed values spliced in place without decoding
     * the rest when it can, the text path otherwise.
     */
    public byte[] stagePayload(byte[] utf8) {
        if (readsAsStored(utf8)) {
            return utf8;
        }
        if (key instanceof ContentKey.Present) {
            byte[] spliced = spliced(utf8);
            if (spliced != null) {
                return spliced;
            }
        }
        return stagePayload(new String(utf8, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    }

    /** A stored verbose message (JSON) as a reader sees it. */
    public String verbose(String json) {
        return open(json, VERBOSE_FIELDS);
    }

    /** A text sealed as a whole (a turn's user text); null stays null. */
    public String text(String stored) {
        if (stored == null) {
            return null;
        }
        if (erased()) {
            return PersonalContent.ERASED;
        }
        if (!ContentCipher.isSealed(stored)) {
            return stored;
        }
        JsonNode value = openValue(stored);
        return value.isTextual() ? value.asText() : value.toString();
    }

    private String open(String json, Set<String> personalFields) {
        if (json == null || (!erased() && !json.contains(ContentCipher.PREFIX))) {
            return json;
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return json;
        }
        if (erased() && root instanceof ObjectNode object) {
            for (String field : personalFields) {
                JsonNode value = object.get(field);
                if (value != null && !value.isNull()) {
                    object.set(field, masked(value));
                }
            }
        }
        return openTree(root).toString();
    }

    /**
     * The same text as parsing the payload, opening its sealed values and writing it again, without
     * the whole payload's tree: each sealed string value is replaced in place by its opened value as
     * Jackson writes it. Exact because {@link ContentSeal} writes a payload it seals as Jackson writes
     * its tree (compact), which reads back and writes again unchanged. Null when the text is not of
     * that shape (a sealed-looking field name or escaped text): the tree path then answers.
     */
    private String spliced(String json) {
        StringBuilder out = null;
        int from = 0;
        for (int at = json.indexOf(SEALED_STRING); at >= 0; at = json.indexOf(SEALED_STRING, from)) {
            int end = json.indexOf('"', at + SEALED_STRING.length());
            if (end < 0 || at == 0 || ":,[".indexOf(json.charAt(at - 1)) < 0
                    || (end + 1 < json.length() && json.charAt(end + 1) == ':')) {
                return null;
            }
            String sealed = json.substring(at + 1, end);
            if (sealed.indexOf('\\') >= 0) {
                return null;
            }
            if (out == null) {
                out = new StringBuilder(json.length() + json.length() / 2);
            }
            out.append(json, from, at);
            out.append(opened(sealed));
            from = end + 1;
        }
        return out == null ? null : out.append(json, from, json.length()).toString();
    }

    /**
     * {@link #spliced(String)} on the stored UTF-8, answering UTF-8: the payload is never decoded, only
     * each sealed value (ASCII) is.
     */
    private byte[] spliced(byte[] json) {
        ByteArrayOutputStream out = null;
        int from = 0;
        for (int at = indexOf(json, SEALED_STRING_UTF8, 0); at >= 0; at = indexOf(json, SEALED_STRING_UTF8, from)) {
            int end = indexOf(json, QUOTE, at + SEALED_STRING_UTF8.length());
            if (end < 0 || at == 0 || ":,[".indexOf(json[at - 1]) < 0 || (end + 1 < json.length && json[end + 1] == ':')
                    || indexOf(json, BACKSLASH, at + 1, end) >= 0) {
                return null;
            }
            if (out == null) {
                out = new ByteArrayOutputStream(json.length + json.length / 2);
            }
            out.write(json, from, at - from);
            out.writeBytes(opened(new String(json, at + 1, end - at - 1, StandardCharsets.ISO_8859_1))
                    .getBytes(StandardCharsets.UTF_8));
            from = end + 1;
        }
        if (out == null) {
            return null;
        }
        out.write(json, from, json.length - from);
        return out.toByteArray();
    }

    /**
     * A sealed value opened, as Jackson writes it. A plain string (no escape, quote or control character
     * inside) is written exactly as it reads, so it is copied without a parse.
     */
    private String opened(String sealed) {
        if (key instanceof ContentKey.Present present) {
            String plain;
            try {
                plain = ContentCipher.open(present.key(), conversationId, sealed);
            } catch (ContentCipher.UnreadableException e) {
                return TextNode.valueOf(PersonalContent.UNREADABLE).toString();
            }
            if (isPlainString(plain)) {
                return plain;
            }
            try {
                return JSON.readTree(plain).toString();
            } catch (JsonProcessingException e) {
                return TextNode.valueOf(PersonalContent.UNREADABLE).toString();
            }
        }
        return openValue(sealed).toString();
    }

    private static int indexOf(byte[] text, ByteNeedle needle, int from) {
        return needle.in(text, from);
    }

    private static int indexOf(byte[] text, byte b, int from) {
        return indexOf(text, b, from, text.length);
    }

    private static int indexOf(byte[] text, byte b, int from, int to) {
        for (int at = from; at < to; at++) {
            if (text[at] == b) {
                return at;
            }
        }
        return -1;
    }

    private static boolean isPlainString(String json) {
        int last = json.length() - 1;
        if (last < 1 || json.charAt(0) != '"' || json.charAt(last) != '"') {
            return false;
        }
        for (int i = 1; i < last; i++) {
            char c = json.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20) {
                return false;
            }
        }
        return true;
    }

    private JsonNode openTree(JsonNode node) {
        if (node.isTextual() && ContentCipher.isSealed(node.asText())) {
            return openValue(node.asText());
        }
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                field.setValue(openTree(field.getValue()));
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, openTree(array.get(i)));
            }
        }
        return node;
    }

    /** An object keeps its keys (the names are structure), every value inside is masked. */
    private static JsonNode masked(JsonNode value) {
        if (value instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                field.setValue(field.getValue().isNull() ? field.getValue() : masked(field.getValue()));
            }
            return object;
        }
        return TextNode.valueOf(PersonalContent.ERASED);
    }

    private JsonNode openValue(String sealed) {
        if (!(key instanceof ContentKey.Present present)) {
            return TextNode.valueOf(erased() ? PersonalContent.ERASED : PersonalContent.UNREADABLE);
        }
        try {
            return JSON.readTree(ContentCipher.open(present.key(), conversationId, sealed));
        } catch (ContentCipher.UnreadableException | JsonProcessingException e) {
            return TextNode.valueOf(PersonalContent.UNREADABLE);
        }
    }
}
