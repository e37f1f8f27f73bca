package io.convtrail.query.audit;

import io.convtrail.api.privacy.ContentOpener;
import io.convtrail.api.query.FindConversationAuditQuery;
import io.convtrail.api.rest.AuditRow;
import io.convtrail.query.json.JsonBytes;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The raw audit as the HTTP answer writes it: byte for byte what Jackson writes for
 * {@code List<AuditRow>}, rendered straight from the rows as the driver reads them. A payload
 * without anything sealed (most stages: brackets, timings, intents) is escaped from its stored UTF-8
 * without becoming a {@code String}; one with sealed values is opened first, with the conversation's
 * key looked up once for the request. The whole answer is rendered before its first byte is sent, so a
 * failure is still answered as a problem, not as a cut-off body.
 */
@Component
public class AuditJson {

    /** Bytes per row of the bench's conversations, to size the buffer once. */
    private static final int ROW_BYTES = 600;

    private final AuditRepository repository;
    private final StreamEnvelopes envelopes;

    AuditJson(AuditRepository repository, StreamEnvelopes envelopes) {
        this.repository = repository;
        this.envelopes = envelopes;
    }

    /** The rows the query finds, as a JSON array of {@link AuditRow}. */
    public JsonBytes render(FindConversationAuditQuery query) {
        int expectedBytes = query.limit() == null ? 64 * 1024 : Math.min(query.limit(), 1000) * ROW_BYTES;
        return render(query.conversationId(), envelopes.opener(query.conversationId()), expectedBytes,
                rows -> repository.readAudit(query, rows));
    }

    /** The rows {@code source} reads, rendered as they arrive. */
    static JsonBytes render(UUID conversationId, ContentOpener opener, int expectedBytes,
                            Consumer<AuditRepository.StoredAuditRows> source) {
        JsonBytes json = new JsonBytes(expectedBytes);
        String conversationField = ",\"conversationId\":\"" + conversationId + "\",\"stage\":\"";
        json.put('[');
        source.accept((auditId, stage, payloadUtf8, createdAt) -> {
            if (json.size() > 1) {
                json.put(',');
            }
            json.ascii("{\"auditId\":").number(auditId).ascii(conversationField).ascii(stage.name())
                    .ascii("\",\"payloadJson\":");
            if (opener.readsAsStored(payloadUtf8)) {
                json.string(payloadUtf8);
            } else {
                json.string(opener.stagePayload(new String(payloadUtf8, StandardCharsets.UTF_8)));
            }
            json.ascii(",\"createdAt\":").instant(createdAt).put('}');
        });
        return json.put(']');
    }
}
