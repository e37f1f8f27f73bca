package io.convtrail.api.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.api.RecordChain;
import io.convtrail.api.Stage;
import io.convtrail.api.event.VerboseMessage;

import java.io.BufferedReader;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Recomputes the hash chain of an export without a database or a service: every record's hash from
 * its own line and the previous record of its conversation ({@link RecordChain}, the code the
 * online verifier uses), the gapless sequence, increasing positions, and the summary lines' counts
 * and heads. Stops at the first line that breaks and says why.
 */
public final class ExportVerifier {

    /** The outcome: {@code brokenLine} (1-based) and {@code problem} are null when the file verifies. */
    public record Result(long records, int conversations, String head, Long brokenLine, String problem) {

        public boolean intact() {
            return problem == null;
        }

        /** The line the {@code verify} command prints. */
        public String describe() {
            if (!intact()) {
                return "BROKEN at line " + brokenLine + ": " + problem;
            }
            String heads = conversations == 1 ? ", head " + head : " in " + conversations + " conversations";
            return "OK " + records + " events" + heads;
        }
    }

    /** What is known of one conversation so far in the file. */
    private static final class Chain {
        long records;
        String head = RecordChain.GENESIS;
        boolean summarised;
    }

    /** A line that breaks the chain. */
    private static final class Broken extends Exception {
        Broken(String problem) {
            super(problem, null, false, false);
        }
    }

    /** Verbose payloads are written with a plain mapper, so any byte changed outside the hashed fields shows too. */
    private static final ObjectMapper PLAIN = new ObjectMapper();
    private static final ObjectMapper READER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Map<UUID, Chain> chains = new HashMap<>();
    private long records;
    /** Positions of the records since the last summary: a window summary counts those after its {@code after}. */
    private final List<Long> sinceSummary = new ArrayList<>();
    private long lastPosition;
    private String lastHead;

    private ExportVerifier() {
    }

    /** The canonical text of a verbose record's payload, as the exporter writes it. */
    public static String verbosePayload(VerboseMessage verbose) {
        try {
            return PLAIN.writeValueAsString(verbose);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a verbose message is always serializable", e);
        }
    }

    public static Result verify(BufferedReader lines) throws IOException {
        return new ExportVerifier().run(lines);
    }

    private Result run(BufferedReader lines) throws IOException {
        long number = 0;
        String text;
        while ((text = lines.readLine()) != null) {
            number++;
            try {
                line(text);
            } catch (Broken broken) {
                return new Result(records, chains.size(), lastHead, number, broken.getMessage());
            }
        }
        if (records == 0) {
            return new Result(0, 0, null, number + 1, "the file holds no record");
        }
        return new Result(records, chains.size(), lastHead, null, null);
    }

    private void line(String text) throws Broken {
        JsonNode node;
        try {
            node = READER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new Broken("not a JSON object");
        }
        if (node == null || !node.isObject()) {
            throw new Broken("not a JSON object");
        }
        String type = node.path("type").asText();
        if (ExportLine.TYPE.equals(type)) {
            record(read(node, ExportLine.class));
        } else if (ExportSummary.TYPE.equals(type)) {
            summary(read(node, ExportSummary.class));
        } else {
            throw new Broken("type is neither \"record\" nor \"summary\"");
        }
    }

    private void record(ExportLine line) throws Broken {
        if (line.conversationId() == null || line.stage() == null || line.createdAt() == null
                || line.payload() == null || line.hash() == null || line.previousHash() == null) {
            throw new Broken("a record needs conversationId, stage, createdAt, payload, hash and previousHash");
        }
        if (line.position() <= lastPosition) {
            throw new Broken("position " + line.position() + " does not follow " + lastPosition
                    + " (lines out of order or repeated)");
        }
        Chain chain = chains.computeIfAbsent(line.conversationId(), id -> new Chain());
        if (chain.summarised) {
            throw new Broken("a record of conversation " + line.conversationId() + " after its summary");
        }
        long expected = chain.records + 1;
        if (line.sequence() != expected) {
            throw new Broken("sequence " + line.sequence() + " where " + expected + " was expected "
                    + "(a record is missing, repeated, inserted or out of order)");
        }
        if (!line.previousHash().equals(chain.head)) {
            throw new Broken("previousHash is not the hash of the conversation's previous record");
        }
        if (!line.hash().equals(hash(line, chain.head))) {
            throw new Broken("the record's content does not match its hash (edited)");
        }
        chain.records = expected;
        chain.head = line.hash();
        records++;
        sinceSummary.add(line.position());
        lastPosition = line.position();
        lastHead = line.hash();
    }

    private static String hash(ExportLine line, String previous) throws Broken {
        Instant createdAt;
        try {
            createdAt = Instant.parse(line.createdAt());
        } catch (DateTimeParseException e) {
            throw new Broken("createdAt is not an ISO-8601 instant");
        }
        if (ExportLine.VERBOSE.equals(line.stage())) {
            VerboseMessage verbose;
            try {
                verbose = PLAIN.readValue(line.payload(), VerboseMessage.class);
            } catch (JsonProcessingException e) {
                throw new Broken("the verbose payload is not a verbose message");
            }
            if (!verbosePayload(verbose).equals(line.payload())) {
                throw new Broken("the verbose payload is not as exported (edited)");
            }
            return RecordChain.verboseHash(previous, line.sequence(), verbose, createdAt);
        }
        Stage stage;
        try {
            stage = Stage.valueOf(line.stage());
        } catch (IllegalArgumentException e) {
            throw new Broken("unknown stage " + line.stage());
        }
        return RecordChain.stageHash(previous, line.sequence(), stage, line.payload(), createdAt);
    }

    private void summary(ExportSummary summary) throws Broken {
        if (summary.conversationId() == null) {
            long after = summary.after() == null ? 0 : summary.after();
            long held = sinceSummary.stream().filter(position -> position > after).count();
            if (summary.count() != held) {
                throw new Broken("the summary counts " + summary.count() + " records after position " + after
                        + ", the export holds " + held + " (a record was deleted or inserted)");
            }
            if (held > 0 && (summary.lastPosition() == null || summary.lastPosition() != lastPosition)) {
                throw new Broken("the summary's lastPosition is not the last record's position");
            }
            sinceSummary.clear();
            return;
        }
        Chain chain = chains.get(summary.conversationId());
        if (chain == null || chain.summarised) {
            throw new Broken("a summary of conversation " + summary.conversationId() + " without its records");
        }
        if (summary.count() != chain.records) {
            throw new Broken("the summary counts " + summary.count() + " records, the export holds " + chain.records
                    + " (a record was deleted or inserted)");
        }
        if (!chain.head.equals(summary.head())) {
            throw new Broken("the summary's head is not the last record's hash");
        }
        chain.summarised = true;
        sinceSummary.clear();
    }

    private static <T> T read(JsonNode node, Class<T> type) throws Broken {
        try {
            return READER.treeToValue(node, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new Broken("a field has the wrong type");
        }
    }
}
