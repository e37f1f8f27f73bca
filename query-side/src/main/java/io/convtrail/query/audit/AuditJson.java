package io.convtrail.query.audit;

import io.convtrail.api.privacy.ContentOpener;
import io.convtrail.api.query.FindConversationAuditQuery;
import io.convtrail.api.rest.AuditRow;
import io.convtrail.query.audit.AuditRepository.StoredAuditRow;
import io.convtrail.query.json.JsonBytes;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.UUID;

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

    /** A row's bytes besides its payload: field names, ids, stage, timestamp. */
    private static final int ROW_BYTES = 160;

    private final AuditRepository repository;
    private final StreamEnvelopes envelopes;

    AuditJson(AuditRepository repository, StreamEnvelopes envelopes) {
        this.repository = repository;
        this.envelopes = envelopes;
    }

    /** The rows the query finds, as a JSON array of {@link AuditRow}. */
    public JsonBytes render(FindConversationAuditQuery query) {
        return render(query.conversationId(), envelopes.opener(query.conversationId()), repository.readAudit(query));
    }

    static JsonBytes render(UUID conversationId, ContentOpener opener, List<StoredAuditRow> rows) {
        JsonBytes json = new JsonBytes(expectedSize(rows));
        String conversationField = ",\"conversationId\":\"" + conversationId + "\",\"stage\":\"";
        json.put('[');
        for (int i = 0; i < rows.size(); i++) {
            StoredAuditRow row = rows.get(i);
            if (i > 0) {
                json.put(',');
            }
            json.ascii("{\"auditId\":").number(row.auditId()).ascii(conversationField).ascii(row.stage().name())
                    .ascii("\",\"payloadJson\":").string(opener.stagePayload(row.payloadUtf8()))
                    .ascii(",\"createdAt\":").instant(row.createdAt()).put('}');
        }
        return json.put(']');
    }

    /**
     * The answer's size, a little over: one buffer of the right size instead of growing one (a 5 MB answer
     * grown by doubling allocates and copies three times its size). An escaped payload is about a fifth
     * longer than stored (its quotes), an opened one a little shorter than sealed.
     */
    private static int expectedSize(List<StoredAuditRow> rows) {
        long bytes = 2;
        for (StoredAuditRow row : rows) {
            bytes += ROW_BYTES + (row.payloadUtf8() == null ? 0 : row.payloadUtf8().length * 5L / 4);
        }
        return (int) Math.min(bytes, Integer.MAX_VALUE - 16);
    }
}
