package io.convtrail.query.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

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
