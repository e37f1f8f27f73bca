package io.convtrail.command.engine;

import com.samskivert.mustache.Template;
import io.convtrail.api.Stage;
import io.convtrail.api.event.VerboseMessage;
import io.convtrail.api.stage.StepBracket;
import io.convtrail.api.stage.StepTiming;
import io.convtrail.command.turn.TurnJournal;
import io.convtrail.command.turn.TurnResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How steps record what they decided: stages, step brackets and the flow's progress texts, each
 * stamped with the conversation's intent and state at that moment, into the turn's journal. The
 * session holds the state and the decisions; this only writes them down.
 */
public final class TurnRecorder {

    private final TurnSession session;
    private final TurnJournal journal;
    private final List<StepTiming> stepTimings = new ArrayList<>();
    private final long startedNanos = System.nanoTime();

    TurnRecorder(TurnSession session, TurnJournal journal) {
        this.session = session;
        this.journal = journal;
    }

    public void stage(Stage stage, Map<String, ?> fields) {
        journal.stage(stage, session.intent(), session.state(), fields);
    }

    /** A STEP_ENTER, STEP_EXIT or STEP_ERROR: only {@link StepRunner} writes them. */
    void bracket(StepBracket bracket) {
        journal.stage(bracket.stage(), session.intent(), session.state(), bracket);
    }

    /** Notes how long a step took, for PIPELINE_TIMING. */
    void timed(String step, long durationMs) {
        stepTimings.add(new StepTiming(step, durationMs));
    }

    /** The steps timed so far, in the order they ran. */
    public List<StepTiming> stepTimings() {
        return List.copyOf(stepTimings);
    }

    /** Since the turn's session began. */
    public long elapsedMs() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    /** Commits what was recorded so far: streaming clients see it before a blocking call. */
    public void flush() {
        journal.flush();
    }

    /**
     * Records the flow's progress text for this step and determinant, if the flow declares one that
     * fits the conversation now. {@code extra} adds names the text may use.
     */
    public void progress(EngineStep step, String determinant, String ruleId, Map<String, ?> extra) {
        session.flow().verbose().stream()
                .filter(v -> v.step().equals(step.name()) && v.determinant().equals(determinant)
                        && fits(v.intent(), session.intent()) && fits(v.state(), session.state())
                        && fits(v.ruleId(), ruleId))
                .findFirst()
                .ifPresent(v -> verbose(step.name(), determinant, ruleId, null, "INFO",
                        session.render(v.text(), extra)));
    }

    /** Records a tool's own progress text (before, success or error). */
    public void toolProgress(EngineStep step, String toolCode, String determinant, String level, Template text,
                             Map<String, ?> extra) {
        verbose(step.name(), determinant, null, toolCode, level, session.render(text, extra));
    }

    private void verbose(String stepName, String determinant, String ruleId, String toolCode, String level,
                         String text) {
        journal.verbose(new VerboseMessage(null, "ERROR".equals(level) ? "VERBOSE_ERROR" : "VERBOSE_PROGRESS",
                stepName, determinant, session.intent(), session.state(), ruleId, toolCode, level, text, Map.of()));
    }

    /** Records why the turn failed, where it stood; the conversation stays as the turn found it. */
    TurnResult failed(RuntimeException e) {
        return journal.failed(e, session.intent(), session.state(), session.input().conversation().conversation());
    }

    private static boolean fits(String wanted, String actual) {
        return wanted == null || Objects.equals(wanted, actual);
    }
}
