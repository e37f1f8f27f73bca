package io.convtrail.api.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.api.RecordChain;
import io.convtrail.api.Stage;
import io.convtrail.api.event.VerboseMessage;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The offline verifier's rules on files built here with {@link RecordChain}: interleaved chains, summaries, resumption. */
class ExportVerifierTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UUID A = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    private static final UUID B = UUID.fromString("00000000-0000-0000-0000-00000000000b");

    private final Map<UUID, String> heads = new HashMap<>();
    private final Map<UUID, Long> counts = new HashMap<>();
    private long position;

    @Test
    void interleavedConversationsVerifyEachOnItsOwnChain() throws Exception {
        List<String> lines = new ArrayList<>(List.of(stage(A), stage(B), verbose(A), stage(B), stage(A)));
        lines.add(window(0, 5));
        assertThat(verify(lines).describe()).isEqualTo("OK 5 events in 2 conversations");
    }

    @Test
    void oneConversationReportsItsHeadAndItsSummaryMustAgree() throws Exception {
        List<String> lines = new ArrayList<>(List.of(stage(A), verbose(A), stage(A)));
        String head = heads.get(A);
        lines.add(summary(A, 3, head));
        assertThat(verify(lines).describe()).isEqualTo("OK 3 events, head " + head);

        lines.set(3, summary(A, 2, head));
        assertThat(verify(lines).describe()).isEqualTo("BROKEN at line 4: the summary counts 2 records, the export "
                + "holds 3 (a record was deleted or inserted)");
        lines.set(3, summary(A, 3, RecordChain.GENESIS));
        assertThat(verify(lines).brokenLine()).isEqualTo(4L);
    }

    @Test
    void aContinuationAfterAPositionVerifiesAppendedToWhatWasReceived() throws Exception {
        List<String> received = new ArrayList<>(List.of(stage(A), stage(B), stage(A)));
        long cut = position;
        List<String> rest = List.of(stage(B), verbose(A));
        List<String> file = new ArrayList<>(received);
        file.addAll(rest);
        file.add(window(cut, 2));
        assertThat(verify(file).intact()).isTrue();

        List<String> alone = new ArrayList<>(rest);
        alone.add(window(cut, 2));
        assertThat(verify(alone).problem()).contains("sequence 2 where 1 was expected");
    }

    @Test
    void garbageAndEmptyFilesAreBroken() throws Exception {
        assertThat(verify(List.of()).problem()).isEqualTo("the file holds no record");
        assertThat(verify(List.of("not json")).describe()).isEqualTo("BROKEN at line 1: not a JSON object");
        assertThat(verify(List.of("{\"type\":\"other\"}")).brokenLine()).isEqualTo(1L);
        assertThat(verify(List.of(stage(A), "", stage(A))).describe()).isEqualTo("BROKEN at line 2: not a JSON object");
    }

    private String stage(UUID conversation) throws Exception {
        long sequence = counts.merge(conversation, 1L, Long::sum);
        String previous = heads.getOrDefault(conversation, RecordChain.GENESIS);
        Instant at = Instant.parse("2026-11-30T00:00:00.000001Z").plusSeconds(sequence);
        String payload = "{\"text\":\"message " + sequence + "\"}";
        String hash = RecordChain.stageHash(previous, sequence, Stage.USER_INPUT, payload, at);
        return record(conversation, sequence, Stage.USER_INPUT.name(), at, payload, hash, previous);
    }

    private String verbose(UUID conversation) throws Exception {
        long sequence = counts.merge(conversation, 1L, Long::sum);
        String previous = heads.getOrDefault(conversation, RecordChain.GENESIS);
        Instant at = Instant.parse("2026-11-30T00:00:00Z").plusSeconds(sequence);
        VerboseMessage verbose = new VerboseMessage(sequence, "VERBOSE_PROGRESS", "ToolOrchestrationStep", "TOOL",
                "LOAN", "COLLECTING", null, "credit", "INFO", "Checking", Map.of());
        String hash = RecordChain.verboseHash(previous, sequence, verbose, at);
        return record(conversation, sequence, ExportLine.VERBOSE, at, ExportVerifier.verbosePayload(verbose), hash, previous);
    }

    private String record(UUID conversation, long sequence, String stage, Instant at, String payload, String hash,
                          String previous) throws Exception {
        heads.put(conversation, hash);
        position += 3;
        return JSON.writeValueAsString(new ExportLine(ExportLine.TYPE, position, conversation, sequence, position,
                UUID.randomUUID(), stage, at.toString(), payload, hash, previous, "flow", "f".repeat(64), JSON.readTree(payload)));
    }

    private String summary(UUID conversation, long count, String head) throws Exception {
        return JSON.writeValueAsString(new ExportSummary(ExportSummary.TYPE, conversation, count, head, null, position,
                Instant.now().toString()));
    }

    private String window(long after, long count) throws Exception {
        return JSON.writeValueAsString(new ExportSummary(ExportSummary.TYPE, null, count, null, after, position,
                Instant.now().toString()));
    }

    private static ExportVerifier.Result verify(List<String> lines) throws IOException {
        return ExportVerifier.verify(new BufferedReader(new StringReader(String.join("\n", lines))));
    }
}
