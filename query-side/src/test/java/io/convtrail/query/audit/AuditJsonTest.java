package io.convtrail.query.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.api.Stage;
import io.convtrail.api.privacy.ContentCipher;
import io.convtrail.api.privacy.ContentKey;
import io.convtrail.api.privacy.ContentOpener;
import io.convtrail.api.privacy.ContentSeal;
import io.convtrail.api.rest.AuditRow;
import io.convtrail.query.audit.AuditRepository.StoredAuditRow;
import io.convtrail.query.json.IsoInstants;
import org.junit.jupiter.api.Test;

import javax.crypto.SecretKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The raw audit rendered from the stored bytes is, byte for byte, what the endpoint wrote before with
 * Jackson's UTF-8 generator from {@link AuditRow}s: escapes, text beyond ASCII (a character outside the
 * BMP as two escaped surrogates), null payloads, sealed values opened, an erased conversation masked.
 */
class AuditJsonTest {

    private static final UUID CONVERSATION = UUID.randomUUID();
    private static final Instant T0 = Instant.parse("2026-11-24T06:00:00.000100Z");
    private static final SecretKey KEY = ContentCipher.newKey();

    private static final List<String> PAYLOADS = new ArrayList<>(List.of(
            "{\"step\":\"AuditUserInputStep\"}",
            "{\"text\":\"say \\\"hi\\\" to Zoë 👋 \\\\ \\u0001\\n\\t\",\"n\":[1,2.5,null,true]}",
            "{ \"spaced\" : \"as stored\", \"slash\": \"a/b\", \"del\": \"\u007f\", \"sep\": \"\u2028\" }",
            "{\"value\":{\"amount\":10000,\"email\":\"ann@example.com\"},\"intent\":\"LOAN\"}",
            "{\"output\":\"日本語のテキスト 🎉🎉\",\"metadata\":null}",
            "{\"message\":\"tab\\tand \\u0002 control, escaped as stored\"}",
            "[]",
            "{}"));

    static {
        PAYLOADS.add(null);
    }

    @Test
    void rowsWithoutAKeyAreWhatJacksonWrote() throws Exception {
        assertSameAsBefore(ContentOpener.of(CONVERSATION, ContentKey.NONE), PAYLOADS);
    }

    @Test
    void sealedRowsAreOpenedAsBefore() throws Exception {
        ContentSeal seal = ContentSeal.of(CONVERSATION, Optional.of(KEY));
        List<String> sealed = PAYLOADS.stream().map(p -> p == null ? null : seal.stagePayload(p)).toList();
        assertThat(sealed).anyMatch(p -> p != null && p.contains(ContentCipher.PREFIX));
        assertSameAsBefore(ContentOpener.of(CONVERSATION, new ContentKey.Present(KEY)), sealed);
    }

    @Test
    void anErasedConversationIsMaskedAsBefore() throws Exception {
        ContentSeal seal = ContentSeal.of(CONVERSATION, Optional.of(KEY));
        List<String> stored = new ArrayList<>(PAYLOADS.stream().map(p -> p == null ? null : seal.stagePayload(p))
                .toList());
        stored.addAll(PAYLOADS); // written in the clear before encryption: masked once erased
        String rendered = assertSameAsBefore(ContentOpener.of(CONVERSATION, ContentKey.ERASED), stored);
        assertThat(rendered).contains("[erased]").doesNotContain("Zoë").doesNotContain("ann@example.com");
    }

    @Test
    void aLongAuditGoesOutInChunksAsOneAnswer() throws Exception {
        ContentSeal seal = ContentSeal.of(CONVERSATION, Optional.of(KEY));
        List<String> stored = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            String payload = PAYLOADS.get(i % PAYLOADS.size());
            stored.add(payload == null || i % 3 == 0 ? payload : seal.stagePayload(payload));
        }
        String rendered = assertSameAsBefore(ContentOpener.of(CONVERSATION, new ContentKey.Present(KEY)), stored);
        assertThat(rendered.length()).isGreaterThan(3 * 64 * 1024);
    }

    @Test
    void anEmptyAuditIsAnEmptyArray() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AuditJson.write(CONVERSATION, ContentOpener.of(CONVERSATION, ContentKey.NONE), List.of(), out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("[]");
    }

    /** The slow-request log line says where the time went: a client that reads slowly is writing, not rendering. */
    @Test
    void aSlowClientsTimeIsCountedAsWriting() throws IOException {
        List<StoredAuditRow> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            rows.add(new StoredAuditRow(i, Stage.values()[0], PAYLOADS.get(0).getBytes(StandardCharsets.UTF_8), T0));
        }
        OutputStream slowClient = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[]{(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        AuditJson.Timings timings = AuditJson.write(CONVERSATION, ContentOpener.of(CONVERSATION, ContentKey.NONE), rows,
                slowClient);
        assertThat(timings.writeNanos()).isGreaterThanOrEqualTo(300_000_000L);
        assertThat(timings.openNanos()).isLessThan(300_000_000L);
    }

    private static String assertSameAsBefore(ContentOpener opener, List<String> payloads) throws IOException {
        Stage[] stages = Stage.values();
        List<AuditRow> before = new ArrayList<>();
        for (int i = 0; i < payloads.size(); i++) {
            String payload = payloads.get(i);
            before.add(new AuditRow(1_000_000_000_000L + i * 7919L, CONVERSATION, stages[i % stages.length],
                    opener.stagePayload(payload), IsoInstants.format(instant(i))));
        }
        List<StoredAuditRow> stored = new ArrayList<>();
        for (int i = 0; i < payloads.size(); i++) {
            String payload = payloads.get(i);
            stored.add(new StoredAuditRow(1_000_000_000_000L + i * 7919L, stages[i % stages.length],
                    payload == null ? null : payload.getBytes(StandardCharsets.UTF_8), instant(i)));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AuditJson.write(CONVERSATION, opener, stored, out);
        byte[] rendered = out.toByteArray();
        String expected = new String(jacksonAsBefore(before), StandardCharsets.UTF_8);
        assertThat(new String(rendered, StandardCharsets.UTF_8)).isEqualTo(expected);
        return expected;
    }

    private static Instant instant(int i) {
        return switch (i % 4) {
            case 0 -> T0.plusMillis(i);
            case 1 -> T0.plusSeconds(i);
            case 2 -> T0.plusNanos(i);
            default -> Instant.parse("0999-12-31T23:59:59Z").plusSeconds(i);
        };
    }

    /** What {@code AuditController} wrote before: Jackson's UTF-8 generator, field by field. */
    private static byte[] jacksonAsBefore(List<AuditRow> rows) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = new ObjectMapper().writer().createGenerator(out)) {
            json.writeStartArray();
            for (AuditRow row : rows) {
                json.writeStartObject();
                json.writeNumberField("auditId", row.auditId());
                json.writeStringField("conversationId", row.conversationId().toString());
                json.writeStringField("stage", row.stage().name());
                json.writeStringField("payloadJson", row.payloadJson());
                json.writeStringField("createdAt", row.createdAt());
                json.writeEndObject();
            }
            json.writeEndArray();
        }
        return out.toByteArray();
    }
}
