package io.convtrail.api;

import io.convtrail.api.event.VerboseMessage;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Stored chains were hashed over one joined string: hashing the pieces must give the same hashes. */
class RecordChainTest {

    private static final Instant AT = Instant.parse("2026-11-30T07:00:00.123456Z");

    @Test
    void aStageHashIsTheHashOfItsJoinedMaterial() throws Exception {
        String payload = "{\"text\":\"Grüße, 東京 \\u2028 🙂\"}";
        assertThat(RecordChain.stageHash(RecordChain.GENESIS, 7, Stage.USER_INPUT, payload, AT))
                .isEqualTo(joined(RecordChain.GENESIS, 7, "USER_INPUT", payload, AT));
    }

    @Test
    void aMissingPayloadOrTimeIsHashedAsNullLikeBefore() throws Exception {
        assertThat(RecordChain.stageHash("ab", 1, Stage.USER_INPUT, null, null))
                .isEqualTo(joined("ab", 1, "USER_INPUT", null, null));
    }

    @Test
    void aVerboseHashCoversItsFieldsJoined() throws Exception {
        VerboseMessage v = new VerboseMessage(3L, "VERBOSE_PROGRESS", "step", "det", "intent", "state", null, "tool",
                "INFO", "Checking… ✓", Map.of());
        String content = String.join("\u001f", "VERBOSE_PROGRESS", "step", "det", "intent", "state", "null", "tool",
                "INFO", "Checking… ✓");
        assertThat(RecordChain.verboseHash("cd", 3, v, AT)).isEqualTo(joined("cd", 3, "VERBOSE", content, AT));
    }

    /** The construction as it was first written (and as docs/compliance.md explains it). */
    private static String joined(String previous, long sequence, String kind, String content, Instant at)
            throws Exception {
        String material = previous + '\u001f' + sequence + '\u001f' + kind + '\u001f' + content + '\u001f' + at;
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(material.getBytes(StandardCharsets.UTF_8)));
    }
}
