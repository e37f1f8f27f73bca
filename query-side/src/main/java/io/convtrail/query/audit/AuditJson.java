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
 * <p>
 * A request that takes longer than {@value #SLOW_MILLIS} ms is logged on one line with where its time
 * went (reading the rows, opening sealed values, rendering, writing to the client): the bench's raw
 * audit has shown one such request in some runs, with no cause found yet (docs/performance.md).
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
        ContentOpener opener = envelopes.opener(query.conversationId());
        List<StoredAuditRow> rows = repository.readAudit(query);
        long read = System.nanoTime();
        Timings timings = write(query.conversationId(), opener, rows, out);
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (millis > SLOW_MILLIS) {
            long render = System.nanoTime() - read - timings.openNanos() - timings.writeNanos();
            log.info("raw audit of {} rows took {} ms: key and rows read {} ms, sealed values opened {} ms, "
                            + "rendered {} ms, written {} ms", rows.size(), millis, (read - started) / 1_000_000,
                    timings.openNanos() / 1_000_000, render / 1_000_000, timings.writeNanos() / 1_000_000);
        }
    }

    /** Where a write's time went: opening the sealed values, and handing the chunks to the client's stream. */
    record Timings(long openNanos, long writeNanos) {
    }

    static Timings write(UUID conversationId, ContentOpener opener, List<StoredAuditRow> rows, OutputStream out)
            throws IOException {
        long started = System.nanoTime();
        byte[][] payloads = new byte[rows.size()][];
        for (int i = 0; i < payloads.length; i++) {
            payloads[i] = opener.stagePayload(rows.get(i).payloadUtf8());
        }
        long opened = System.nanoTime();
        long writing = 0;
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
                long before = System.nanoTime();
                json.writeTo(out);
                writing += System.nanoTime() - before;
                json.clear();
            }
        }
        long before = System.nanoTime();
        json.put(']').writeTo(out);
        return new Timings(opened - started, writing + System.nanoTime() - before);
    }
}
