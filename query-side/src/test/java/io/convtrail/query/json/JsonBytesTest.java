package io.convtrail.query.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Strings and numbers come out as Jackson's UTF-8 generator writes them, for every character. */
class JsonBytesTest {

    @Test
    void everyCharacterIsEscapedAsJacksonEscapesIt() throws IOException {
        StringBuilder text = new StringBuilder();
        for (char c = 0; c < Character.MIN_SURROGATE; c++) {
            text.append(c);
        }
        for (char c = Character.MAX_SURROGATE + 1; c != 0; c++) {
            text.append(c);
        }
        text.appendCodePoint(0x1F44B).append("x").appendCodePoint(0x10000).appendCodePoint(0x10FFFF).append('"');
        String value = text.toString();

        JsonBytes json = new JsonBytes(8).string(value);
        assertThat(json.toByteArray()).isEqualTo(jackson(value));
        assertThat(new JsonBytes(8).string(value.getBytes(StandardCharsets.UTF_8)).toByteArray())
                .isEqualTo(jackson(value));
    }

    /**
     * Texts of every length up to a few words, dense with what is escaped, at every position in the word
     * read eight bytes at a time: each lane of a word, a clean word, a cut-off four-byte sequence at the end.
     */
    @Test
    void escapesAtEveryPositionOfAWordAreWhatJacksonWrites() throws IOException {
        Random random = new Random(15);
        String[] pieces = {"a", "b", "\"", "\\", "\n", "\u0001", "\u001f", " ", "~", "\u007f", "é", "€", "\uFFFF",
                new String(Character.toChars(0x1F44B)), "payloadJson", "{\"intent\":\"LOAN\"}"};
        for (int round = 0; round < 20_000; round++) {
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(round % 3 == 0 ? 6 : 40); n > 0; n--) {
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            String value = text.toString();
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            assertThat(new JsonBytes(1).string(utf8).toByteArray()).as(value).isEqualTo(jackson(value));
            JsonBytes after = new JsonBytes(1).ascii("x".repeat(random.nextInt(9))).string(utf8);
            assertThat(after.toByteArray()).endsWith(jackson(value));
        }
        byte[] cutOff = {'a', 'b', 'c', 'd', 'e', 'f', 'g', (byte) 0xF0, (byte) 0x9F, (byte) 0x91};
        assertThat(new JsonBytes(1).string(cutOff).toByteArray())
                .isEqualTo(new byte[]{'"', 'a', 'b', 'c', 'd', 'e', 'f', 'g', (byte) 0xF0, (byte) 0x9F, (byte) 0x91, '"'});
    }

    @Test
    void numbersAndNullAreWhatJacksonWrites() throws IOException {
        for (long n : new long[]{0, 7, -7, 10, 99, 100, Integer.MAX_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, -1_000_000}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (JsonGenerator generator = new ObjectMapper().createGenerator(out)) {
                generator.writeNumber(n);
            }
            assertThat(new String(new JsonBytes(1).number(n).toByteArray(), StandardCharsets.US_ASCII))
                    .isEqualTo(out.toString(StandardCharsets.US_ASCII));
        }
        assertThat(new JsonBytes(1).string((String) null).toByteArray()).isEqualTo("null".getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] jackson(String value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator generator = new ObjectMapper().createGenerator(out)) {
            generator.writeString(value);
        }
        return out.toByteArray();
    }
}
