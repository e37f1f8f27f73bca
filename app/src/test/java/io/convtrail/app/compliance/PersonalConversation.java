package io.convtrail.app.compliance;

import io.convtrail.app.LocalApi;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A loan application in which a person types a unique marker: in a message, as a slot value (the
 * e-mail address) and in feedback, so it reaches every kind of personal content the service records.
 */
public record PersonalConversation(UUID id, String marker) {

    public static PersonalConversation play(int port, String token) {
        byte[] random = new byte[8];
        ThreadLocalRandom.current().nextBytes(random);
        String marker = "mk" + HexFormat.of().formatHex(random);
        UUID id = UUID.randomUUID();
        Exports.converse(port, token, id, "I am " + marker + " and I want to apply for a loan", "15000 over 36 months",
                marker + "@example.com", "yes");
        LocalApi.client(port, token).post().uri("/api/v1/conversation/feedback").contentType(MediaType.APPLICATION_JSON)
                .body("{\"conversationId\":\"" + id + "\",\"feedbackType\":\"THUMBS_DOWN\",\"assistantResponse\":\""
                        + marker + " was not helped\",\"metadata\":{\"note\":\"" + marker + "\"}}")
                .retrieve().toBodilessEntity();
        return new PersonalConversation(id, marker);
    }

    public ResponseEntity<String> erase(int port, String token, String reason) {
        var request = LocalApi.client(port, token).delete();
        return (reason == null ? request.uri("/api/v1/conversations/{id}", id)
                : request.uri("/api/v1/conversations/{id}?reason={reason}", id, reason)).retrieve().toEntity(String.class);
    }
}
