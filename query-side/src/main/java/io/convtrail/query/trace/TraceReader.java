package io.convtrail.query.trace;

import io.convtrail.api.privacy.ContentOpener;
import io.convtrail.api.privacy.ConversationKeys;
import io.convtrail.api.rest.ConversationTrace;
import io.convtrail.api.rest.TracePage;
import io.convtrail.query.trace.TraceRows.StepRow;
import io.convtrail.query.trace.TraceRows.TurnRow;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.UUID;
import java.util.function.IntFunction;

/**
 * The trace as the HTTP answer writes it: the whole trace ({@link ConversationTrace}) or a page of
 * turns ({@link TracePage}), streamed. Every row is read, and its sealed content opened, before the
 * first byte is written, so a failure is still answered as a problem, not as a cut-off body.
 */
@Component
public class TraceReader {

    /** The most turns one page holds. */
    public static final int MAX_TURNS_PER_PAGE = 100;

    private final TraceRepository repository;
    private final ConversationKeys keys;
    private final TraceJson json;

    TraceReader(TraceRepository repository, ConversationKeys keys) {
        this.repository = repository;
        this.keys = keys;
        this.json = new TraceJson();
    }

    /** Writes the whole trace, the bytes Jackson writes for {@link ConversationTrace}. */
    public void writeTrace(UUID conversationId, OutputStream out) throws IOException {
        ContentOpener opener = opener(conversationId);
        RenderedStages stages = new RenderedStages(opener);
        TraceRepository.Whole rows = repository.whole(conversationId, stages);
        var trace = json.render(TraceRows.opened(opener, rows.turns(), TurnRow::opened),
                TraceRows.opened(opener, rows.steps(), StepRow::opened), stages);
        json.write(conversationId, null, trace, out);
    }

    /**
     * Writes the turns with index {@code fromTurn} and up, at most {@code turns} of them, with their
     * steps and stages: reads by turn, so the cost is the page's, not the conversation's.
     * {@code nextPage} makes the path of the page that starts at a given turn.
     */
    public void writePage(UUID conversationId, int fromTurn, int turns, IntFunction<String> nextPage,
                          OutputStream out) throws IOException {
        List<TurnRow> read = repository.turnsFrom(conversationId, fromTurn, turns + 1);
        List<TurnRow> page = read.size() > turns ? read.subList(0, turns) : read;
        Integer nextFromTurn = read.size() > turns ? read.get(turns).index() : null;
        Integer lastTurn = nextFromTurn == null && !page.isEmpty() ? Integer.valueOf(page.get(page.size() - 1).index())
                : repository.lastTurnIndex(conversationId).orElse(null);
        List<UUID> turnIds = page.stream().map(TurnRow::turnId).toList();
        ContentOpener opener = opener(conversationId);
        RenderedStages stages = new RenderedStages(opener);
        List<StepRow> steps = repository.stepsOfTurns(turnIds);
        repository.stagesOfTurns(turnIds, stages);
        var trace = json.render(TraceRows.opened(opener, page, TurnRow::opened),
                TraceRows.opened(opener, steps, StepRow::opened), stages);
        json.write(conversationId, new TraceJson.Paging(fromTurn, lastTurn, nextFromTurn,
                nextFromTurn == null ? null : nextPage.apply(nextFromTurn)), trace, out);
    }

    private ContentOpener opener(UUID conversationId) {
        return ContentOpener.of(conversationId, keys.current(conversationId)); // one lookup per request, uncached
    }
}
