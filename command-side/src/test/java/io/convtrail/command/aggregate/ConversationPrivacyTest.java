package io.convtrail.command.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.api.RecordChain;
import io.convtrail.api.Stage;
import io.convtrail.api.command.CompleteTurnCommand;
import io.convtrail.api.command.ConversationState;
import io.convtrail.api.command.ConversationView;
import io.convtrail.api.command.EraseConversationCommand;
import io.convtrail.api.command.RecordFeedbackCommand;
import io.convtrail.api.command.StartTurnCommand;
import io.convtrail.api.command.TurnRecord;
import io.convtrail.api.command.TurnRequester;
import io.convtrail.api.event.ConversationErasedEvent;
import io.convtrail.api.event.StageRecordedEvent;
import io.convtrail.api.event.TurnCompletedEvent;
import io.convtrail.api.event.TurnOutcome;
import io.convtrail.api.event.TurnStartedEvent;
import io.convtrail.api.event.VerboseMessage;
import io.convtrail.api.event.VerboseRecordedEvent;
import io.convtrail.api.privacy.ContentCipher;
import io.convtrail.api.privacy.ContentOpener;
import io.convtrail.api.privacy.PersonalContent;
import io.convtrail.api.refusal.Refusal;
import io.convtrail.api.refusal.RefusedException;
import io.convtrail.api.stage.UserFeedback;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.matchers.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** What the aggregate stores of personal content (sealed, chained as stored) and how an erasure ends a conversation. */
class ConversationPrivacyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UUID CONVERSATION = UUID.fromString("00000000-0000-0000-0000-0000000000c2");
    private static final UUID TURN_1 = UUID.fromString("00000000-0000-0000-0000-0000000000b1");
    private static final UUID TURN_2 = UUID.fromString("00000000-0000-0000-0000-0000000000b2");
    private static final Instant T0 = Instant.parse("2026-11-24T05:00:00Z");
    private static final long ABANDON_AFTER_MS = 120_000;
    private static final TurnRequester ALICE = new TurnRequester("alice", false);
    private static final String SECRET = "jane.doe@example.com";

    private AggregateTestFixture<ConversationAggregate> fixture;
    private InMemoryConversationKeys keys;

    @BeforeEach
    void setUp() {
        keys = InMemoryConversationKeys.encrypting();
        fixture = new AggregateTestFixture<>(ConversationAggregate.class);
        fixture.registerInjectableResource(keys);
    }

    @Test
    void aTurnStoresPersonalValuesSealedAndItsStructureInTheClearAndChainsWhatIsStored() {
        fixture.givenNoPriorActivity()
                .andGivenCommands(start(TURN_1, T0, SECRET))
                .when(new CompleteTurnCommand(CONVERSATION, TURN_1, List.of(
                        new TurnRecord.StageRecord(Stage.USER_INPUT,
                                "{\"_meta\":{\"stage\":\"USER_INPUT\",\"intent\":\"LOAN\"},\"text\":\"" + SECRET
                                        + "\",\"reset\":false}", T0),
                        new TurnRecord.VerboseRecord(new VerboseMessage(null, "SLOT", "SchemaExtractionStep", "OK",
                                "LOAN", "COLLECTING", null, null, "INFO", "We will write to " + SECRET, Map.of()), T0)),
                        new ConversationState("LOAN", "COLLECTING", Map.of("email", SECRET), Map.of()),
                        TurnOutcome.ANSWERED, T0))
                .expectSuccessfulHandlerExecution();
        List<EventMessage<?>> events = fixture.getEventStore().readEvents(CONVERSATION.toString()).asStream()
                .<EventMessage<?>>map(m -> m).toList();

        assertThat(events).extracting(e -> e.getPayload().toString()).noneMatch(text -> text.contains(SECRET));
        TurnStartedEvent started = (TurnStartedEvent) events.get(0).getPayload();
        assertThat(ContentCipher.isSealed(started.userText())).isTrue();
        StageRecordedEvent input = (StageRecordedEvent) events.get(1).getPayload();
        JsonNode stored = tree(input.payloadJson());
        assertThat(stored.at("/_meta/intent").asText()).isEqualTo("LOAN");
        assertThat(stored.get("reset").asBoolean()).isFalse();
        assertThat(ContentCipher.isSealed(stored.get("text").asText())).isTrue();
        assertThat(input.hash()).isEqualTo(RecordChain.stageHash(RecordChain.GENESIS, 1, Stage.USER_INPUT,
                input.payloadJson(), T0));
        VerboseRecordedEvent verbose = (VerboseRecordedEvent) events.get(2).getPayload();
        assertThat(verbose.verbose().stepName()).isEqualTo("SchemaExtractionStep");
        assertThat(verbose.hash()).isEqualTo(RecordChain.verboseHash(input.hash(), 2, verbose.verbose(), T0));
        TurnCompletedEvent completed = (TurnCompletedEvent) events.get(3).getPayload();
        assertThat(completed.state()).isEqualTo("COLLECTING");
        assertThat(completed.slots()).containsOnlyKeys("email");

        ContentOpener opener = ContentOpener.of(CONVERSATION, keys.forReading(CONVERSATION));
        assertThat(tree(opener.stagePayload(input.payloadJson())).get("text").asText()).isEqualTo(SECRET);
        assertThat(opener.text(started.userText())).isEqualTo(SECRET);
    }

    @Test
    void theNextTurnFindsTheSlotsOpened() {
        fixture.givenCommands(start(TURN_1, T0, "hello"), new CompleteTurnCommand(CONVERSATION, TURN_1, List.of(),
                        new ConversationState("LOAN", "COLLECTING", Map.of("email", SECRET, "amount", 15000), Map.of()),
                        TurnOutcome.ANSWERED, T0))
                .when(start(TURN_2, T0.plusSeconds(1), "yes"))
                .expectResultMessagePayload(new ConversationView(2, new ConversationState("LOAN", "COLLECTING",
                        Map.of("email", SECRET, "amount", 15000), Map.of())));
    }

    @Test
    void anErasureDestroysTheKeyRecordsWhoAndWhyInTheChainAndEndsTheConversation() {
        fixture.givenCommands(start(TURN_1, T0, SECRET), new CompleteTurnCommand(CONVERSATION, TURN_1, List.of(),
                        new ConversationState("LOAN", "COLLECTING", Map.of(), Map.of()), TurnOutcome.ANSWERED, T0))
                .when(erase(T0.plusSeconds(5)))
                .expectSuccessfulHandlerExecution()
                .expectResultMessagePayload(true)
                .expectEventsMatching(Matchers.payloadsMatching(
                        Matchers.exactSequenceOf(
                                Matchers.predicate(e -> e instanceof StageRecordedEvent s
                                        && s.stage() == Stage.CONVERSATION_ERASED && s.sequence() == 1
                                        && s.payloadJson().contains("\"erasedBy\":\"root\"")
                                        && s.payloadJson().contains("\"reason\":\"GDPR art. 17 request\"")),
                                Matchers.predicate(e -> e.equals(new ConversationErasedEvent(
                                        CONVERSATION, "root", "GDPR art. 17 request", T0.plusSeconds(5), true))),
                                Matchers.andNoMore())));
        assertThat(keys.forReading(CONVERSATION)).isInstanceOf(io.convtrail.api.privacy.ContentKey.Erased.class);
        assertThat(ContentOpener.of(CONVERSATION, keys.forReading(CONVERSATION)).text(ContentCipher.PREFIX + "AAAA"))
                .isEqualTo(PersonalContent.ERASED);
    }

    @Test
    void anErasedConversationTakesNoTurnNoFeedbackAndNoSecondErasure() {
        Object[] erased = {startedEvent(), new TurnCompletedEvent(CONVERSATION, TURN_1, null, "IDLE", Map.of(),
                Map.of(), TurnOutcome.ANSWERED, T0), new ConversationErasedEvent(CONVERSATION, "root", "r", T0, true)};
        fixture.given(erased).when(start(TURN_2, T0.plusSeconds(1), "hello"))
                .expectException(RefusedException.class).expectException(hasReason(Refusal.CONVERSATION_ERASED))
                .expectNoEvents();
        fixture.given(erased).when(new RecordFeedbackCommand(CONVERSATION,
                        new UserFeedback("THUMBS_UP", null, null, null), T0, Long.MAX_VALUE, ALICE))
                .expectException(hasReason(Refusal.CONVERSATION_ERASED)).expectNoEvents();
        fixture.given(erased).when(erase(T0.plusSeconds(1)))
                .expectException(hasReason(Refusal.CONVERSATION_ERASED)).expectNoEvents();
    }

    @Test
    void anUnknownConversationIsNotErasedAndNothingIsCreated() {
        fixture.givenNoPriorActivity().when(erase(T0))
                .expectException(hasReason(Refusal.UNKNOWN_CONVERSATION)).expectNoEvents();
    }

    @Test
    void aRunningTurnIsNeverHalfErasedButAStaleOneIsClosedFirst() {
        fixture.given(startedEvent()).when(erase(T0.plusSeconds(1)))
                .expectException(hasReason(Refusal.TURN_IN_PROGRESS)).expectNoEvents();
        fixture.given(startedEvent()).when(erase(T0.plusMillis(ABANDON_AFTER_MS + 1)))
                .expectSuccessfulHandlerExecution()
                .expectEventsMatching(Matchers.payloadsMatching(
                        Matchers.exactSequenceOf(
                                Matchers.predicate(e -> e instanceof StageRecordedEvent s
                                        && s.stage() == Stage.TURN_ABANDONED),
                                Matchers.predicate(e -> e instanceof
                                        io.convtrail.api.event.TurnAbandonedEvent),
                                Matchers.predicate(e -> e instanceof StageRecordedEvent s
                                        && s.stage() == Stage.CONVERSATION_ERASED),
                                Matchers.predicate(e -> e instanceof ConversationErasedEvent),
                                Matchers.andNoMore())));
    }

    private static org.hamcrest.Matcher<Object> hasReason(Refusal reason) {
        return new org.hamcrest.CustomTypeSafeMatcher<>("a refusal for " + reason) {
            @Override
            protected boolean matchesSafely(Object item) {
                return item instanceof RefusedException refused && refused.reason() == reason;
            }
        };
    }

    private static TurnStartedEvent startedEvent() {
        return new TurnStartedEvent(CONVERSATION, TURN_1, 1, null, false, Map.of(), "loan-demo", "abc", T0, "alice",
                null);
    }

    private static EraseConversationCommand erase(Instant at) {
        return new EraseConversationCommand(CONVERSATION, "root", "GDPR art. 17 request", at, ABANDON_AFTER_MS);
    }

    private static StartTurnCommand start(UUID turnId, Instant at, String text) {
        return new StartTurnCommand(CONVERSATION, turnId, text, false, Map.of(), "loan-demo", "abc", at,
                ABANDON_AFTER_MS, ALICE);
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
