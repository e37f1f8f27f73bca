package io.convtrail.app.compliance;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.convtrail.api.export.ExportVerifier;
import io.convtrail.app.ConvtrailApplication;
import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.app.LocalApi;
import io.convtrail.testsupport.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An export verifies offline, and every kind of tampering is reported at the line it breaks: a byte
 * changed anywhere in any payload, a line deleted, two lines swapped, a line inserted. The verdict
 * comes from {@code convtrail verify FILE} in a process of its own, with no database and no service.
 */
@ConvtrailIntegrationTest
class OfflineVerificationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @TempDir
    Path dir;

    private List<String> lines;
    private int records;

    @BeforeEach
    void export() {
        UUID id = Exports.converse(port, TestTokens.admin(), "hello", "What are your interest rates?",
                "My card is 4111 1111 1111 1111");
        String text = LocalApi.strict(port).get().uri("/api/v1/conversation/audit/{id}/export", id)
                .retrieve().body(String.class);
        lines = text.lines().toList();
        records = lines.size() - 1;
    }

    @Test
    void theJarsVerifyCommandAcceptsAnExportAndNamesTheLineOfAnEdit() throws Exception {
        String head = JSON.readTree(lines.get(records)).get("head").asText();
        assertThat(run(write("intact.jsonl", lines))).isEqualTo(new Outcome(0, "OK " + records + " events, head " + head));

        List<String> edited = new ArrayList<>(lines);
        edited.set(3, withPayload(lines.get(3), payload(lines.get(3)).replaceFirst(".", "#")));
        assertThat(run(write("edited.jsonl", edited)))
                .isEqualTo(new Outcome(1, "BROKEN at line 4: the record's content does not match its hash (edited)"));

        assertThat(run(dir.resolve("missing.jsonl")).code()).isEqualTo(1);
    }

    @Test
    void changingAnyCharacterOfAnyPayloadIsReportedAtItsLine() throws Exception {
        int checked = 0;
        for (int i = 0; i < records; i++) {
            String payload = payload(lines.get(i));
            // every character of short payloads; about 60 spread over long ones (first and last included), to stay fast
            int stride = Math.max(1, payload.length() / 60);
            for (int c = 0; c < payload.length(); c = c + stride >= payload.length() && c < payload.length() - 1
                    ? payload.length() - 1 : c + stride) {
                char replacement = payload.charAt(c) == 'x' ? 'y' : 'x';
                String changed = payload.substring(0, c) + replacement + payload.substring(c + 1);
                List<String> tampered = new ArrayList<>(lines);
                tampered.set(i, withPayload(lines.get(i), changed));
                ExportVerifier.Result result = Exports.verify(String.join("\n", tampered));
                assertThat(result.brokenLine()).as("payload of line %d, character %d", i + 1, c).isEqualTo(i + 1L);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(10 * records);
    }

    @Test
    void deletingSwappingOrInsertingALineIsReportedAtTheLineThatBreaks() {
        assertThat(Exports.verify(String.join("\n", lines)).intact()).isTrue();
        for (int i = 0; i < records; i++) {
            List<String> deleted = new ArrayList<>(lines);
            deleted.remove(i);
            // the line that took the deleted one's place no longer follows its predecessor (the summary, for the last)
            assertThat(Exports.verify(String.join("\n", deleted)).brokenLine()).as("delete %d", i + 1).isEqualTo(i + 1L);

            List<String> inserted = new ArrayList<>(lines);
            inserted.add(i + 1, lines.get(i));
            assertThat(Exports.verify(String.join("\n", inserted)).brokenLine()).as("repeat %d", i + 1).isEqualTo(i + 2L);

            List<String> invented = new ArrayList<>(lines);
            invented.add(i, withPayload(lines.get(i), "{\"invented\":true}"));
            assertThat(Exports.verify(String.join("\n", invented)).brokenLine()).as("invent %d", i + 1).isEqualTo(i + 1L);

            if (i + 1 < records) {
                List<String> swapped = new ArrayList<>(lines);
                Collections.swap(swapped, i, i + 1);
                assertThat(Exports.verify(String.join("\n", swapped)).brokenLine()).as("swap %d", i + 1).isEqualTo(i + 1L);
            }
        }
        List<String> truncated = new ArrayList<>(lines.subList(0, records - 1));
        truncated.add(lines.get(records));
        ExportVerifier.Result result = Exports.verify(String.join("\n", truncated));
        assertThat(result.brokenLine()).isEqualTo((long) records);
        assertThat(result.problem()).contains("deleted");
    }

    private static String payload(String line) throws Exception {
        return JSON.readTree(line).get("payload").asText();
    }

    private static String withPayload(String line, String payload) {
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(line);
            node.put("payload", payload);
            return JSON.writeValueAsString(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Path write(String name, List<String> content) throws Exception {
        return Files.write(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private record Outcome(int code, String output) {
    }

    private static Outcome run(Path file) throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ConvtrailApplication.class.getName(), "verify", file.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Outcome(process.exitValue(), output);
    }
}
