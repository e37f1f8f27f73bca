package io.convtrail.command.aggregate;

import io.convtrail.api.RecordChain;
import io.convtrail.api.Stage;
import io.convtrail.api.command.AbandonTurnCommand;
import io.convtrail.api.command.CompleteTurnCommand;
import io.convtrail.api.command.ConversationState;
import io.convtrail.api.command.ConversationView;
import io.convtrail.api.command.RecordFeedbackCommand;
import io.convtrail.api.command.RecordTurnEventsCommand;
import io.convtrail.api.command.StartTurnCommand;
import io.convtrail.api.command.TurnRecord;
import io.convtrail.api.command.TurnRequester;
import io.convtrail.api.event.StageRecordedEvent;
import io.convtrail.api.event.TurnAbandonedEvent;
import io.convtrail.api.event.TurnCompletedEvent;
import io.convtrail.api.event.TurnOutcome;
import io.convtrail.api.event.TurnStartedEvent;
import io.convtrail.api.event.VerboseMessage;
import io.convtrail.api.event.VerboseRecordedEvent;
import io.convtrail.api.refusal.Refusal;
import io.convtrail.api.refusal.RefusedException;
import io.convtrail.api.stage.UserFeedback;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.hamcrest.CustomTypeSafeMatcher;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.axonframework.test.matchers.Matchers.andNoMore;
import static org.axonframework.test.matchers.Matchers.exactSequenceOf;
import static org.axonframework.test.matchers.Matchers.payloadsMatching;
import static org.axonframework.test.matchers.Matchers.predicate;

class ConversationAggregateTest {

    private static final UUID CONVERSATION = UUID.fromString("00000000-0000-0000-0000-0000000000c1");
    private static final UUID TURN_0 = UUID.fromString("00000000-0000-0000-0000-0000000000a0");
    private static final UUID TURN_1 = UUID.fromString("00000000-0000-0000-0000-0000000000a1");
    private static final UUID TURN_2 = UUID.fromString("00000000-0000-0000-0000-0000000000a2");
    private static final Instant T0 = Instant.parse("2026-11-24T05:00:00Z");
    private static final long ABANDON_AFTER_MS = 120_000;
    private static final TurnRequester ALICE = new TurnRequester("alice", false);
    private static final TurnRequester BOB = new TurnRequester("bob", false);
    private static final UUID RUNNER = UUID.fromString("00000000-0000-0000-0000-0000000000f1");
    private static final long NO_LIMIT = Long.MAX_VALUE;
    /** Feedback as recorded: the aggregate writes the conversation's intent and state into its _meta. */
    private static final String FEEDBACK = "{\"_meta\":{\"stage\":\"MCP_USER_FEEDBACK\",\"conversationId\":\""
            + CONVERSATION + "\",\"turnId\":null,\"emittedAt\":\"2026-11-24T05:00:01Z\",\"intent\":\"FAQ_RATES\","
            + "\"state\":\"ANSWERED\"},\"feedbackType\":\"THUMBS_UP\",\"messageId\":null,\"assistantResponse\":null,"
            + "\"metadata\":null}";
    private static final UserFeedback THUMBS_UP = new UserFeedback("THUMBS_UP", null, null, null);

    private AggregateTestFixture<ConversationAggregate> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(ConversationAggregate.class);
        fixture.registerInjectableResource(InMemoryConversationKeys.unencrypted()); // sealing: ConversationPrivacyTest
    }

    @Test
    void firstTurnCreatesTheConversationAndFindsItEmpty() {
        fixture.givenNoPriorActivity()
                .when(start(TURN_1, T0))
                .expectEvents(started(TURN_1, 1, T0))
                .expectResultMessagePayload(new ConversationView(1, null, null, Map.of(), Map.of()));
    }

    @Test
    void secondTurnWhileTheFirstIsOpenIsRejectedAndRecordsNothing() {
        fixture.given(started(TURN_1, 1, T0))
                .when(start(TURN_2, T0.plusSeconds(5)))
                .expectException(TurnInProgressException.class)
                .expectNoEvents();
    }

    @Test
    void turnLeftOpenPastTheTimeoutIsClosedAsAbandonedByTheNextTurn() {
        Instant later = T0.plusMillis(ABANDON_AFTER_MS + 1);
        fixture.given(started(TURN_0, 1, T0.minusSeconds(1)),
                        new TurnCompletedEvent(CONVERSATION, TURN_0, "LOAN", "COLLECTING", Map.of(), Map.of(),
                                TurnOutcome.ANSWERED, T0.minusSeconds(1)),
                        started(TURN_1, 2, T0), stage(TURN_1, 1, RecordChain.GENESIS, Stage.USER_INPUT, "{}", T0))
                .when(start(TURN_2, later))
                .expectEventsMatching(payloadsMatching(exactSequenceOf(
                        predicate(e -> e instanceof StageRecordedEvent s && s.stage() == Stage.TURN_ABANDONED
                                && s.sequence() == 2 && TURN_1.equals(s.turnId())
                                && s.payloadJson().contains("\"closedByTurnId\":\"" + TURN_2 + "\"")
                                && s.payloadJson().contains("\"reason\":\"TIMEOUT\"")
                                && s.payloadJson().contains("\"_meta\"") && s.payloadJson().contains("\"state\":\"COLLECTING\"")
                                && s.hash().equals(RecordChain.stageHash(hashOf(1), 2, Stage.TURN_ABANDONED,
                                s.payloadJson(), later))),
                        predicate(e -> e.equals(new TurnAbandonedEvent(CONVERSATION, TURN_1, T0, later, TURN_2))),
                        predicate(e -> e.equals(started(TURN_2, 3, later))),
                        andNoMore())));
    }

    @Test
    void anOpenTurnWhoseRunnerIsGoneIsClosedAtOnceByTheNextTurn() {
        Instant soon = T0.plusSeconds(1);
        fixture.given(started(TURN_1, 1, T0))
                .when(new StartTurnCommand(CONVERSATION, TURN_2, "hello", false, Map.of(), "loan-demo", "abc", soon,
                        ABANDON_AFTER_MS, NO_LIMIT, ALICE, RUNNER, TURN_1))
                .expectEventsMatching(payloadsMatching(exactSequenceOf(
                        predicate(e -> e instanceof StageRecordedEvent s && s.stage() == Stage.TURN_ABANDONED
                                && s.payloadJson().contains("\"reason\":\"RUNNER_GONE\"")
                                && s.payloadJson().contains("\"closedByTurnId\":\"" + TURN_2 + "\"")),
                        predicate(e -> e.equals(new TurnAbandonedEvent(CONVERSATION, TURN_1, T0, soon, TURN_2))),
                        predicate(e -> e instanceof TurnStartedEvent s && TURN_2.equals(s.turnId())
                                && RUNNER.equals(s.runnerId())),
                        andNoMore())));
    }

    @Test
    void aGoneRunnerNamedForAnotherTurnDoesNotCloseTheOpenOne() {
        fixture.given(started(TURN_1, 1, T0))
                .when(new StartTurnCommand(CONVERSATION, TURN_2, "hello", false, Map.of(), "loan-demo", "abc",
                        T0.plusSeconds(1), ABANDON_AFTER_MS, NO_LIMIT, ALICE, RUNNER, TURN_0))
                .expectException(TurnInProgressException.class)
                .expectNoEvents();
    }

    @Test
    void aStoppingServiceClosesItsOpenTurnWithoutANextTurn() {
        Instant stop = T0.plusSeconds(3);
        fixture.given(started(TURN_1, 1, T0))
                .when(new AbandonTurnCommand(CONVERSATION, TURN_1, "SHUTDOWN", stop))
                .expectResultMessagePayload(true)
                .expectEventsMatching(payloadsMatching(exactSequenceOf(
                        predicate(e -> e instanceof StageRecordedEvent s && s.stage() == Stage.TURN_ABANDONED
                                && s.payloadJson().contains("\"reason\":\"SHUTDOWN\"")
                                && !s.payloadJson().contains("closedByTurnId")),
                        predicate(e -> e.equals(new TurnAbandonedEvent(CONVERSATION, TURN_1, T0, stop, null))),
                        andNoMore())));
    }

    @Test
    void abandoningATurnThatFinishedMeanwhileChangesNothing() {
        fixture.given(started(TURN_1, 1, T0), new TurnCompletedEvent(CONVERSATION, TURN_1, null, "IDLE", Map.of(),
                        Map.of(), TurnOutcome.ANSWERED, T0))
                .when(new AbandonTurnCommand(CONVERSATION, TURN_1, "SHUTDOWN", T0.plusSeconds(1)))
                .expectResultMessagePayload(false)
                .expectNoEvents();
    }

    @Test
    void recordsGetGaplessSequencesAndAChainedHash() {
        VerboseMessage verbose = new VerboseMessage(null, "VERBOSE_PROGRESS", "RulesStep", "RULE_APPLIED", "I", "S",
                "r1", null, "INFO", "Done.", Map.of());
        Instant t1 = T0.plusMillis(1);
        Instant t2 = T0.plusMillis(2);
        String hash1 = RecordChain.stageHash(RecordChain.GENESIS, 1, Stage.USER_INPUT, "{\"text\":\"hi\"}", t1);
        String hash2 = RecordChain.verboseHash(hash1, 2, verbose, t2);
        fixture.given(started(TURN_1, 1, T0))
                .when(new RecordTurnEventsCommand(CONVERSATION, TURN_1, List.of(
                        new TurnRecord.StageRecord(Stage.USER_INPUT, "{\"text\":\"hi\"}", t1),
                        new TurnRecord.VerboseRecord(verbose, t2))))
                .expectEvents(
                        new StageRecordedEvent(CONVERSATION, TURN_1, 1, Stage.USER_INPUT, "{\"text\":\"hi\"}", t1, hash1),
                        new VerboseRecordedEvent(CONVERSATION, TURN_1, 2, verbose.withVerboseId(2), t2, hash2));
    }

    @Test
    void completingTheTurnRecordsItsLastRecordsAndTheNextTurnFindsTheConversationAsLeft() {
        Instant t1 = T0.plusMillis(1);
        fixture.given(started(TURN_1, 1, T0), stage(TURN_1, 1, RecordChain.GENESIS, Stage.USER_INPUT, "{}", T0))
                .when(new CompleteTurnCommand(CONVERSATION, TURN_1,
                        List.of(new TurnRecord.StageRecord(Stage.ASSISTANT_OUTPUT, "{}", t1)),
                        new ConversationState("LOAN", "COLLECTING", Map.of("amount", 15000), Map.of("k", "v")),
                        TurnOutcome.ANSWERED, t1))
                .expectEvents(
                        new StageRecordedEvent(CONVERSATION, TURN_1, 2, Stage.ASSISTANT_OUTPUT, "{}", t1,
                                RecordChain.stageHash(hashOf(1), 2, Stage.ASSISTANT_OUTPUT, "{}", t1)),
                        new TurnCompletedEvent(CONVERSATION, TURN_1, "LOAN", "COLLECTING", Map.of("amount", 15000),
                                Map.of("k", "v"), TurnOutcome.ANSWERED, t1));

        fixture.given(started(TURN_1, 1, T0),
                        new TurnCompletedEvent(CONVERSATION, TURN_1, "LOAN", "COLLECTING", Map.of("amount", 15000),
                                Map.of(), TurnOutcome.ANSWERED, t1))
                .when(start(TURN_2, t1))
                .expectEvents(started(TURN_2, 2, t1))
                .expectResultMessagePayload(new ConversationView(2, "LOAN", "COLLECTING", Map.of("amount", 15000),
                        Map.of()));
    }

    @Test
    void recordsForAClosedTurnAreRejected() {
        fixture.given(started(TURN_1, 1, T0),
                        new TurnCompletedEvent(CONVERSATION, TURN_1, null, "IDLE", Map.of(), Map.of(),
                                TurnOutcome.ANSWERED, T0))
                .when(new RecordTurnEventsCommand(CONVERSATION, TURN_1,
                        List.of(new TurnRecord.StageRecord(Stage.USER_INPUT, "{}", T0))))
                .expectException(TurnNotOpenException.class)
                .expectNoEvents();
    }

    @Test
    void recordsForAnAbandonedTurnAreRejected() {
        Instant later = T0.plusMillis(ABANDON_AFTER_MS + 1);
        fixture.given(started(TURN_1, 1, T0), new TurnAbandonedEvent(CONVERSATION, TURN_1, T0, later, TURN_2),
                        started(TURN_2, 2, later))
                .when(new CompleteTurnCommand(CONVERSATION, TURN_1, List.of(),
                        new ConversationState(null, "IDLE", Map.of(), Map.of()), TurnOutcome.ANSWERED, later))
                .expectException(TurnNotOpenException.class)
                .expectNoEvents();
    }

    @Test
    void feedbackExtendsTheChainOutsideAnyTurnAndAnswersItsSequence() {
        Instant t1 = T0.plusSeconds(1);
        fixture.given(started(TURN_1, 1, T0), stage(TURN_1, 1, RecordChain.GENESIS, Stage.USER_INPUT, "{}", T0),
                        new TurnCompletedEvent(CONVERSATION, TURN_1, "FAQ_RATES", "ANSWERED", Map.of(), Map.of(),
                                TurnOutcome.ANSWERED, T0))
                .when(new RecordFeedbackCommand(CONVERSATION, THUMBS_UP, t1, NO_LIMIT, ALICE))
                .expectEvents(new StageRecordedEvent(CONVERSATION, null, 2, Stage.MCP_USER_FEEDBACK, FEEDBACK, t1,
                        RecordChain.stageHash(hashOf(1), 2, Stage.MCP_USER_FEEDBACK, FEEDBACK, t1)))
                .expectResultMessagePayload(2L);
    }

    @Test
    void feedbackOnAnUnknownConversationIsRefusedAndCreatesNothing() {
        fixture.givenNoPriorActivity()
                .when(new RecordFeedbackCommand(CONVERSATION, THUMBS_UP, T0, NO_LIMIT, ALICE))
                .expectException(RefusedException.class)
                .expectException(hasReason(Refusal.UNKNOWN_CONVERSATION))
                .expectNoEvents();
    }

    @Test
    void aConversationAtItsRecordLimitTakesNoNewTurnAndNoFeedback() {
        Instant t1 = T0.plusSeconds(1);
        Object[] twoRecords = {started(TURN_1, 1, T0), stage(TURN_1, 1, RecordChain.GENESIS, Stage.USER_INPUT, "{}", T0),
                stage(TURN_1, 2, hashOf(1), Stage.USER_INPUT, "{}", T0),
                new TurnCompletedEvent(CONVERSATION, TURN_1, "FAQ_RATES", "ANSWERED", Map.of(), Map.of(),
                        TurnOutcome.ANSWERED, T0)};
        fixture.given(twoRecords)
                .when(new StartTurnCommand(CONVERSATION, TURN_2, "hello", false, Map.of(), "loan-demo", "abc", t1,
                        ABANDON_AFTER_MS, 2, ALICE, null, null))
                .expectException(hasReason(Refusal.CONVERSATION_FULL))
                .expectNoEvents();
        fixture.given(twoRecords)
                .when(new RecordFeedbackCommand(CONVERSATION, THUMBS_UP, t1, 2, ALICE))
                .expectException(hasReason(Refusal.CONVERSATION_FULL))
                .expectNoEvents();
        fixture.given(twoRecords)
                .when(new StartTurnCommand(CONVERSATION, TURN_2, "hello", false, Map.of(), "loan-demo", "abc", t1,
                        ABANDON_AFTER_MS, 3, ALICE, null, null))
                .expectSuccessfulHandlerExecution();
    }

    private static Matcher<Object> hasReason(Refusal reason) {
        return new CustomTypeSafeMatcher<>("a refusal for " + reason) {
            @Override
            protected boolean matchesSafely(Object item) {
                return item instanceof RefusedException refused && refused.reason() == reason;
            }
        };
    }

    @Test
    void theFirstTurnMakesItsRequesterTheOwnerAndLaterTurnsKeepIt() {
        fixture.givenNoPriorActivity()
                .when(start(TURN_1, T0))
                .expectEvents(started(TURN_1, 1, T0));
        fixture.given(started(TURN_1, 1, T0), completed(TURN_1, T0))
                .when(start(TURN_2, T0.plusSeconds(1)))
                .expectEvents(started(TURN_2, 2, T0.plusSeconds(1)));
    }

    @Test
    void anotherUsersTurnIsRefusedAsIfTheConversationDidNotExist() {
        fixture.given(started(TURN_1, 1, T0), completed(TURN_1, T0))
                .when(start(TURN_2, T0.plusSeconds(1), BOB))
                .expectException(hasReason(Refusal.UNKNOWN_CONVERSATION))
                .expectNoEvents();
    }

    @Test
    void anotherUsersFeedbackIsRefused() {
        fixture.given(started(TURN_1, 1, T0), completed(TURN_1, T0))
                .when(new RecordFeedbackCommand(CONVERSATION, THUMBS_UP, T0, NO_LIMIT, BOB))
                .expectException(hasReason(Refusal.UNKNOWN_CONVERSATION))
                .expectNoEvents();
    }

    @Test
    void anAdminMayPostIntoAnyonesConversationWithoutTakingItOver() {
        TurnRequester admin = new TurnRequester("root", true);
        fixture.given(started(TURN_1, 1, T0), completed(TURN_1, T0))
                .when(start(TURN_2, T0.plusSeconds(1), admin))
                .expectEvents(started(TURN_2, 2, T0.plusSeconds(1)));
    }

    private static TurnCompletedEvent completed(UUID turnId, Instant at) {
        return new TurnCompletedEvent(CONVERSATION, turnId, null, "IDLE", Map.of(), Map.of(), TurnOutcome.ANSWERED, at);
    }

    private static StartTurnCommand start(UUID turnId, Instant at) {
        return start(turnId, at, ALICE);
    }

    private static StartTurnCommand start(UUID turnId, Instant at, TurnRequester requester) {
        return new StartTurnCommand(CONVERSATION, turnId, "hello", false, Map.of(), "loan-demo", "abc", at,
                ABANDON_AFTER_MS, NO_LIMIT, requester, null, null);
    }

    private static TurnStartedEvent started(UUID turnId, int index, Instant at) {
        return new TurnStartedEvent(CONVERSATION, turnId, index, "hello", false, Map.of(), "loan-demo", "abc", at,
                ALICE.subject(), null);
    }

    private static StageRecordedEvent stage(UUID turnId, long sequence, String previousHash, Stage stage,
                                            String payload, Instant at) {
        return new StageRecordedEvent(CONVERSATION, turnId, sequence, stage, payload, at,
                RecordChain.stageHash(previousHash, sequence, stage, payload, at));
    }

    /** The hash of the one USER_INPUT record the givens above start with. */
    private static String hashOf(long sequence) {
        return RecordChain.stageHash(RecordChain.GENESIS, sequence, Stage.USER_INPUT, "{}", T0);
    }
}
