package io.convtrail.testsupport.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.convtrail.api.Stage;
import io.convtrail.api.rest.ConversationTrace;
import io.convtrail.api.rest.TraceStage;
import io.convtrail.api.rest.TraceStep;
import io.convtrail.api.rest.TraceTurn;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The shared trace fixture ({@code fixtures/trace-conversation.json}): one recorded conversation as
 * the stream sent it (records and TURN boundaries) and the trace tree the server's rules give it. The
 * server's trace and the console's timeline-model.js are both checked against the same tree, so the
 * two cannot drift apart.
 */
public final class TraceFixture {

    public static final String RESOURCE = "/fixtures/trace-conversation.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String text;
    private final JsonNode document;

    private TraceFixture(String text) throws IOException {
        this.text = text;
        this.document = JSON.readTree(text);
    }

    public static TraceFixture load() {
        try (InputStream in = TraceFixture.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath");
            }
            return new TraceFixture(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The whole document, as the browser test hands it to the page. */
    public String text() {
        return text;
    }

    /** The stream in order: each {@code {"id", "envelope"}}. */
    public List<JsonNode> stream() {
        List<JsonNode> events = new ArrayList<>();
        document.get("stream").forEach(events::add);
        return List.copyOf(events);
    }

    public JsonNode expectedTrace() {
        return document.get("expectedTrace");
    }

    /** A server trace in the fixture's tree shape: which stage went to which step of which turn. */
    public static JsonNode treeOf(ConversationTrace trace) {
        ObjectNode tree = JSON.createObjectNode();
        ArrayNode turns = tree.putArray("turns");
        Set<Long> inTurns = new HashSet<>();
        for (TraceTurn turn : trace.turns()) {
            ObjectNode t = turns.addObject();
            t.put("index", turn.index());
            t.put("status", turn.status().name());
            t.put("outcome", turn.outcome());
            t.put("intent", turn.intent());
            t.put("state", turn.state());
            ArrayNode steps = t.putArray("steps");
            for (TraceStep step : turn.steps()) {
                ObjectNode s = steps.addObject();
                s.put("step", step.step());
                s.put("status", step.status().name());
                s.put("error", step.error());
                names(step.stages(), s.putArray("stages"), inTurns);
            }
            names(turn.stagesOutsideSteps(), t.putArray("stagesOutsideSteps"), inTurns);
        }
        ArrayNode outside = tree.putArray("stagesOutsideTurns");
        for (TraceStage stage : trace.stages()) {
            if (!inTurns.contains(stage.auditId()) && !isBracket(stage.stage())) {
                outside.add(stage.stage());
            }
        }
        return tree;
    }

    private static void names(List<TraceStage> stages, ArrayNode into, Set<Long> seen) {
        for (TraceStage stage : stages) {
            into.add(stage.stage());
            seen.add(stage.auditId());
        }
    }

    private static boolean isBracket(String stage) {
        return Stage.STEP_ENTER.name().equals(stage) || Stage.STEP_EXIT.name().equals(stage)
                || Stage.STEP_ERROR.name().equals(stage);
    }
}
