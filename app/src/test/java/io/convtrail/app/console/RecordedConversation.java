package io.convtrail.app.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.testsupport.api.ConvtrailApi;
import io.convtrail.testsupport.store.EventStoreProbe;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** What the server side holds for a conversation: the truth the console's screen is checked against. */
final class RecordedConversation {

    private final ConvtrailApi api;
    private final EventStoreProbe store;
    private final ObjectMapper json;

    RecordedConversation(int port, EventStoreProbe store, ObjectMapper json) {
        this.api = ConvtrailApi.local(port);
        this.store = store;
        this.json = json;
    }

    /** Runs a turn through the public API (not the page); {@code conversationId} null starts a conversation. */
    String post(String conversationId, String message) {
        return api.say(conversationId == null ? null : UUID.fromString(conversationId), message)
                .get("conversationId").asText();
    }

    /** Stage and verbose records in the event store: the conversation's last stream position. */
    long recordCount(String conversationId) {
        return store.records(UUID.fromString(conversationId));
    }

    List<String> assistantOutputs(String conversationId) throws JsonProcessingException {
        List<String> outputs = new ArrayList<>();
        for (JsonNode row : api.audit(UUID.fromString(conversationId), "ASSISTANT_OUTPUT")) {
            outputs.add(json.readTree(row.get("payloadJson").asText()).get("output").asText());
        }
        return outputs;
    }

    int auditRowCount(String conversationId) {
        return api.audit(UUID.fromString(conversationId)).size();
    }
}
