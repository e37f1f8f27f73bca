package io.convtrail.app.compliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.api.export.ExportVerifier;
import io.convtrail.testsupport.api.ConvtrailApi;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;

/** Conversations to export, and export text to read and verify. */
final class Exports {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Exports() {
    }

    /** Runs the turns in a new conversation as the token's caller; answers its id. */
    static UUID converse(int port, String token, String... messages) {
        UUID id = UUID.randomUUID();
        converse(port, token, id, messages);
        return id;
    }

    static void converse(int port, String token, UUID id, String... messages) {
        try (ConvtrailApi api = ConvtrailApi.local(port, token)) {
            for (String message : messages) {
                api.turn(id, message);
            }
        }
    }

    static List<JsonNode> lines(String text) {
        return text.lines().map(line -> {
            try {
                return JSON.readTree(line);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
    }

    static ExportVerifier.Result verify(String text) {
        try {
            return ExportVerifier.verify(new BufferedReader(new StringReader(text)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
