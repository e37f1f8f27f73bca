package io.convtrail.api.privacy;

import org.junit.jupiter.api.Test;

import javax.crypto.SecretKey;
import java.util.Base64;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContentCipherTest {

    private static final UUID CONVERSATION = UUID.randomUUID();

    @Test
    void aSealedValueOpensWithItsKeyAndConversation() {
        SecretKey key = ContentCipher.newKey();
        String sealed = ContentCipher.seal(key, CONVERSATION, "Jane Doe, 15 000 € über 36 Monate");
        assertThat(sealed).startsWith(ContentCipher.PREFIX).doesNotContain("Jane");
        assertThat(ContentCipher.open(key, CONVERSATION, sealed)).isEqualTo("Jane Doe, 15 000 € über 36 Monate");
    }

    @Test
    void theSameValueSealsDifferentlyEveryTime() {
        SecretKey key = ContentCipher.newKey();
        assertThat(ContentCipher.seal(key, CONVERSATION, "same")).isNotEqualTo(ContentCipher.seal(key, CONVERSATION, "same"));
    }

    @Test
    void anotherKeyDoesNotOpenIt() {
        String sealed = ContentCipher.seal(ContentCipher.newKey(), CONVERSATION, "secret");
        assertThatThrownBy(() -> ContentCipher.open(ContentCipher.newKey(), CONVERSATION, sealed))
                .isInstanceOf(ContentCipher.UnreadableException.class);
    }

    @Test
    void aValueCopiedIntoAnotherConversationDoesNotOpen() {
        SecretKey key = ContentCipher.newKey();
        String sealed = ContentCipher.seal(key, CONVERSATION, "secret");
        assertThatThrownBy(() -> ContentCipher.open(key, UUID.randomUUID(), sealed))
                .isInstanceOf(ContentCipher.UnreadableException.class);
    }

    @Test
    void anyChangedByteIsDetected() {
        SecretKey key = ContentCipher.newKey();
        String sealed = ContentCipher.seal(key, CONVERSATION, "secret");
        byte[] bytes = Base64.getUrlDecoder().decode(sealed.substring(ContentCipher.PREFIX.length()));
        for (int i = 0; i < bytes.length; i++) {
            byte[] changed = bytes.clone();
            changed[i] ^= 0x01;
            String tampered = ContentCipher.PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(changed);
            assertThatThrownBy(() -> ContentCipher.open(key, CONVERSATION, tampered)).as("byte %d", i)
                    .isInstanceOf(ContentCipher.UnreadableException.class);
        }
        assertThatThrownBy(() -> ContentCipher.open(key, CONVERSATION, ContentCipher.PREFIX + "short"))
                .isInstanceOf(ContentCipher.UnreadableException.class);
    }
}
