package io.convtrail.api.privacy;

import javax.crypto.SecretKey;

/** What a reader finds for a conversation's key. */
public sealed interface ContentKey {

    /** The key exists: sealed values open. */
    record Present(SecretKey key) implements ContentKey {
    }

    /** The conversation was erased: its key is gone, sealed values read as {@link PersonalContent#ERASED}. */
    record Erased() implements ContentKey {
    }

    /** No key was ever made (encryption off, or written before encryption): values are in the clear. */
    record None() implements ContentKey {
    }

    ContentKey ERASED = new Erased();
    ContentKey NONE = new None();
}
