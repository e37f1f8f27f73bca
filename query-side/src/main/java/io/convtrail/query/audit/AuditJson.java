package io.convtrail.query.audit;

import io.convtrail.api.privacy.ContentOpener;
import io.convtrail.api.query.FindConversationAuditQuery;
import io.convtrail.api.rest.AuditRow;
import io.convtrail.query.audit.AuditRepository.StoredAuditRow;
import io.convtrail.query.json.JsonBytes;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.UUID;

/**
 * The raw audit as the HTTP answer writes it: byte for byte what Jackson writes for
 * {@code List<AuditRow>}, written from the rows as the driver read them. A payload without anything
 * sealed (most stages: brackets, timings, intents) is escaped from its stored UTF-8 without becoming a
 * {@code String}; one with sealed values is opened on its bytes, with the conversation's key looked up
 * once for the request. Every row is read, and its sealed content opened, before the first byte is
 * written (a failure is still answered as a problem, not as a cut-off body, and no connection is held
 * while a slow client reads); the answer then goes out in chunks of {@value #CHUNK_BYTES} bytes, so its
 * whole text (5 MB for 10,000 rows) is never held.
 */
@Component
public class AuditJson {

    private static final int CHUNK_BYTES = 64 * 1024;

    private final AuditRepository repository;
    private final StreamEnvelopes envelopes;

    AuditJson(AuditRepository repository, StreamEnvelopes envelopes) {
        this.repository = repository;
        this.envelopes = envelopes;
    }

    /** Writes the rows the query finds, as a JSON array of {@link AuditRow}. */
    public void write(FindConversationAuditQuery query, OutputStream out) throws IOException {
        write(query.conversationId(), envelopes.opener(query.conversationId()), repository.readAudit(query), out);
    }

    static void write(UUID conversationId, ContentOpener opener, List<StoredAuditRow> rows, OutputStream out)
            throws IOException {
        byte[][] payloads = new byte[rows.size()][];
        for (int i = 0; i < payloads.length; i++) {
            payloads[i] = opener.stagePayload(rows.get(i).payloadUtf8());
        }
        JsonBytes json = new JsonBytes(CHUNK_BYTES + 4096);
        String conversationField = ",\"conversationId\":\"" + conversationId + "\",\"stage\":\"";
        json.put('[');
        for (int i = 0; i < payloads.length; i++) {
            StoredAuditRow row = rows.get(i);
            if (i > 0) {
                json.put(',');
            }
            json.ascii("{\"auditId\":").number(row.auditId()).ascii(conversationField).ascii(row.stage().name())
                    .ascii("\",\"payloadJson\":").string(payloads[i])
                    .ascii(",\"createdAt\":").instant(row.createdAt()).put('}');
            if (json.size() >= CHUNK_BYTES) {
                json.writeTo(out);
                json.clear();
            }
        }
        json.put(']').writeTo(out);
    }
}
