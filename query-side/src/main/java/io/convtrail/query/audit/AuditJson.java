package io.convtrail.query.audit;

import io.convtrail.api.privacy.ContentOpener;
import io.convtrail.api.query.FindConversationAuditQuery;
import io.convtrail.api.rest.AuditRow;
import io.convtrail.query.audit.AuditRepository.StoredAuditRow;
import io.convtrail.query.json.JsonBytes;
import jakarta.servlet.http.HttpServletResponse;
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
 * once for the request. Each row is rendered as the driver reads it ({@link AuditRepository#readAudit(
 * FindConversationAuditQuery, java.util.function.Consumer)}: a few thousand rows per fetch), into pieces of
 * {@value #CHUNK_BYTES} bytes, so a long conversation's rows are never held all together, only their
 * answer. The whole answer is rendered before its first byte is written (a failure is still answered as a
 * problem, not as a cut-off body, and no connection is held while a slow client reads), and goes out with
 * its length, not in HTTP chunks.
 * <p>
 * A request that takes longer than {@value #SLOW_MILLIS} ms is logged on one line with where its time
 * went (reading and rendering the rows, writing to the client): the bench's raw audit has shown one such
 * request in some runs, with no cause found yet (docs/performance.md).
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

    /** Writes the rows the query finds, as a JSON array of {@link AuditRow}, with the answer's length. */
    public void write(FindConversationAuditQuery query, HttpServletResponse response) throws IOException {
        long started = System.nanoTime();
        Answer answer = new Answer(query.conversationId(), envelopes.opener(query.conversationId()));
        repository.readAudit(query, answer::add);
        answer.end();
        long rendered = System.nanoTime();
        response.setContentLengthLong(answer.length());
        answer.writeTo(response.getOutputStream());
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (millis > SLOW_MILLIS) {
            log.info("raw audit of {} rows took {} ms: key looked up, rows read and rendered {} ms, written {} ms",
                    answer.rows(), millis, (rendered - started) / 1_000_000, (System.nanoTime() - rendered) / 1_000_000);
        }
    }

    /** Where a write's time went: reading and rendering the rows, and handing the answer to the client's stream. */
    record Timings(long renderNanos, long writeNanos) {
    }

    /** The answer of {@code rows}, written to {@code out} as {@link #write(FindConversationAuditQuery, HttpServletResponse)} writes it. */
    static Timings write(UUID conversationId, ContentOpener opener, List<StoredAuditRow> rows, OutputStream out)
            throws IOException {
        long started = System.nanoTime();
        Answer answer = new Answer(conversationId, opener);
        rows.forEach(answer::add);
        answer.end();
        long rendered = System.nanoTime();
        answer.writeTo(out);
        return new Timings(rendered - started, System.nanoTime() - rendered);
    }

    /** An answer rendered row by row, in pieces of at least {@value #CHUNK_BYTES} bytes (the last one shorter). */
    static final class Answer {

        private final ContentOpener opener;
        private final String conversationField;
        private final JsonBytes json = new JsonBytes(CHUNK_BYTES + 4096);
        private final List<byte[]> pieces = new ArrayList<>();
        private final List<Integer> sizes = new ArrayList<>();
        private long length;
        private int rows;

        Answer(UUID conversationId, ContentOpener opener) {
            this.opener = opener;
            this.conversationField = ",\"conversationId\":\"" + conversationId + "\",\"stage\":\"";
            json.put('[');
        }

        void add(StoredAuditRow row) {
            if (rows++ > 0) {
                json.put(',');
            }
            json.ascii("{\"auditId\":").number(row.auditId()).ascii(conversationField).ascii(row.stage().name())
                    .ascii("\",\"payloadJson\":").string(opener.stagePayload(row.payloadUtf8()))
                    .ascii(",\"createdAt\":").instant(row.createdAt()).put('}');
            if (json.size() >= CHUNK_BYTES) {
                cut();
            }
        }

        void end() {
            json.put(']');
            cut();
        }

        private void cut() {
            int size = json.size();
            sizes.add(size);
            pieces.add(json.handOver());
            length += size;
        }

        long length() {
            return length;
        }

        int rows() {
            return rows;
        }

        void writeTo(OutputStream out) throws IOException {
            for (int i = 0; i < pieces.size(); i++) {
                out.write(pieces.get(i), 0, sizes.get(i));
                pieces.set(i, null); // written: garbage while the rest goes out
            }
        }
    }
}
