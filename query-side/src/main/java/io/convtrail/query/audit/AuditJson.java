package io.convtrail.query.audit;

import io.convtrail.api.privacy.ContentOpener;
import io.convtrail.api.query.FindConversationAuditQuery;
import io.convtrail.api.rest.AuditRow;
import io.convtrail.query.audit.AuditRepository.StoredAuditRow;
import io.convtrail.query.json.JsonBytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The raw audit as the HTTP answer writes it: byte for byte what Jackson writes for
 * {@code List<AuditRow>}, written from the rows as the driver read them. A payload without anything
 * sealed (most stages: brackets, timings, intents) is escaped from its stored UTF-8 without becoming a
 * {@code String}; one with sealed values is opened on its bytes, with the conversation's key looked up
 * once for the request. Each row is rendered as PostgreSQL sends it ({@link AuditRepository#readAudit(
 * FindConversationAuditQuery, java.util.function.Consumer)}), so the server producing the next rows and
 * this thread rendering the last ones overlap; the whole answer is rendered, in chunks of
 * {@value #CHUNK_BYTES} bytes, before the first byte is written (a failure is still answered as a problem,
 * not as a cut-off body, and no connection is held while a slow client reads).
 * <p>
 * A request that takes longer than {@value #SLOW_MILLIS} ms is logged on one line with where its time
 * went (the key, reading and rendering the rows, writing to the client): the bench's raw audit has shown
 * one such request in some runs, with no cause found yet (docs/performance.md).
 */
@Component
public class AuditJson {

    private static final int CHUNK_BYTES = 64 * 1024;
    private static final long SLOW_MILLIS = 250;
    private static final Logger log = LoggerFactory.getLogger(AuditJson.class);

    private final AuditRepository repository;
    private final StreamEnvelopes envelopes;

    AuditJson(AuditRepository repository, StreamEnvelopes envelopes) {
        this.repository = repository;
        this.envelopes = envelopes;
    }

    /** Writes the rows the query finds, as a JSON array of {@link AuditRow}. */
    public void write(FindConversationAuditQuery query, OutputStream out) throws IOException {
        long started = System.nanoTime();
        Rendering answer = new Rendering(query.conversationId(), envelopes.opener(query.conversationId()));
        long keyed = System.nanoTime();
        repository.readAudit(query, answer::row);
        long rendered = System.nanoTime();
        answer.writeTo(out);
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (millis > SLOW_MILLIS) {
            log.info("raw audit of {} rows took {} ms: key {} ms, rows read and rendered {} ms, written {} ms",
                    answer.rows, millis, (keyed - started) / 1_000_000, (rendered - keyed) / 1_000_000,
                    (System.nanoTime() - rendered) / 1_000_000);
        }
    }

    /** Renders the rows and writes them to {@code out}; answers the nanoseconds spent writing. */
    static long write(UUID conversationId, ContentOpener opener, List<StoredAuditRow> rows, OutputStream out)
            throws IOException {
        Rendering answer = new Rendering(conversationId, opener);
        rows.forEach(answer::row);
        long started = System.nanoTime();
        answer.writeTo(out);
        return System.nanoTime() - started;
    }

    /** The answer's text so far: the chunks filled, then the one being written. */
    private static final class Rendering {

        private final ContentOpener opener;
        private final String conversationField;
        private final List<byte[]> filled = new ArrayList<>();
        private final JsonBytes json = new JsonBytes(CHUNK_BYTES + 4096);
        private int rows;

        Rendering(UUID conversationId, ContentOpener opener) {
            this.opener = opener;
            this.conversationField = ",\"conversationId\":\"" + conversationId + "\",\"stage\":\"";
            json.put('[');
        }

        void row(StoredAuditRow row) {
            if (rows++ > 0) {
                json.put(',');
            }
            json.ascii("{\"auditId\":").number(row.auditId()).ascii(conversationField).ascii(row.stage().name())
                    .ascii("\",\"payloadJson\":").string(opener.stagePayload(row.payloadUtf8()))
                    .ascii(",\"createdAt\":").instant(row.createdAt()).put('}');
            if (json.size() >= CHUNK_BYTES) {
                filled.add(json.toByteArray());
                json.clear();
            }
        }

        void writeTo(OutputStream out) throws IOException {
            for (byte[] chunk : filled) {
                out.write(chunk);
            }
            json.put(']').writeTo(out);
        }
    }
}
