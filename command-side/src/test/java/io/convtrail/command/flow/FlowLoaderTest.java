package io.convtrail.command.flow;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FlowLoaderTest {

    /** The smallest valid flow; each broken case below changes one thing in it. */
    private static final String VALID = """
            id: tiny
            version: "1"
            initialState: IDLE
            states:
              - name: IDLE
              - name: DONE
                terminal: true
            transitions:
              IDLE: [DONE]
            fallback: {intent: UNKNOWN, state: IDLE}
            reset: {keywords: [reset], response: Starting over.}
            intents:
              - code: GREET
                initialState: DONE
                match:
                  - contains: hello
            rules:
              - id: finish
                when: {intent: GREET}
                then:
                  - setState: DONE
            responses:
              - {id: hi, intent: GREET, template: "Hello!"}
              - {id: fallback, intent: UNKNOWN, template: "Pardon?"}
            """;

    @Test
    void theDemoFlowOnTheClasspathIsTheDefault() {
        FlowDefinition flow = new FlowLoader().loadActive(new FlowProperties("classpath:flows/", "loan-demo"));

        assertThat(flow.id()).isEqualTo("loan-demo");
        assertThat(flow.source()).isEqualTo("demo.yml");
        assertThat(flow.contentHash()).matches("[0-9a-f]{64}");
        assertThat(flow.intents()).extracting(FlowDefinition.IntentDef::code)
                .containsExactly("FAQ_RATES", "LOAN_APPLICATION");
    }

    @Test
    void flowsAreLoadedFromADirectoryAndTheActiveOneIsPicked(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("tiny.yml"), VALID);
        Files.writeString(dir.resolve("other.yaml"), VALID.replace("id: tiny", "id: other"));

        FlowDefinition flow = new FlowLoader().loadActive(new FlowProperties(dir.toUri().toString(), "other"));

        assertThat(flow.id()).isEqualTo("other");
        assertThat(flow.source()).isEqualTo("other.yaml");
    }

    @Test
    void theContentHashChangesWithTheFile() {
        String a = FlowParser.parse("a.yml", bytes(VALID)).contentHash();
        String b = FlowParser.parse("a.yml", bytes(VALID.replace("Hello!", "Hi!"))).contentHash();

        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void brokenYamlNamesTheFileAndTheLine() {
        assertBroken("id: tiny\nstates: [\n  - name: IDLE\n", "Invalid flow file broken.yml at line ", "not valid YAML");
    }

    @Test
    void anInvalidRegexNamesItsPath() {
        assertBroken(VALID.replace("- contains: hello", "- regex: '(hello'"),
                "Invalid flow file broken.yml at intents[0].match[0].regex: not a valid regular expression: "
                        + "Unclosed group");
    }

    @Test
    void anUnknownStateInARuleIsReported() {
        assertBroken(VALID.replace("- setState: DONE", "- setState: FINISHED"),
                "Invalid flow file broken.yml at rules[0].then[0].setState: unknown state 'FINISHED'");
    }

    @Test
    void aMisspelledKeyIsReportedInsteadOfIgnored() {
        assertBroken(VALID.replace("- contains: hello", "- contain: hello"),
                "Invalid flow file broken.yml at intents[0].match[0].contain: unknown key 'contain'");
    }

    @Test
    void aMissingTemplateIsReported() {
        assertBroken(VALID.replace("{id: hi, intent: GREET, template: \"Hello!\"}", "{id: hi, intent: GREET}"),
                "Invalid flow file broken.yml at responses[0].template: is required");
    }

    @Test
    void aBrokenMustacheTemplateIsReported() {
        assertBroken(VALID.replace("Hello!", "Hello {{#name}}!"),
                "Invalid flow file broken.yml at responses[0].template: not a valid Mustache template");
    }

    @Test
    void anEnumSlotWithoutValuesIsReported() {
        assertBroken(VALID.replace("      - contains: hello\n", "      - contains: hello\n"
                        + "    schema:\n      state: IDLE\n      slots:\n"
                        + "        - {name: size, type: enum, question: Pick a size}\n"),
                "Invalid flow file broken.yml at intents[0].schema.slots[0].values: an enum slot needs its list of values");
    }

    @Test
    void aResponseForAnUndeclaredIntentIsReported() {
        assertBroken(VALID.replace("intent: UNKNOWN, template", "intent: UNKNWON, template"),
                "Invalid flow file broken.yml at responses[1].intent: unknown intent 'UNKNWON'");
    }

    @Test
    void aValueOfTheWrongKindNamesWhatItMustBe() {
        assertBroken(VALID.replace("  - code: GREET\n", "  - code: GREET\n    priority: '2'\n"),
                "Invalid flow file broken.yml at intents[0].priority: must be a whole number");
        assertBroken(VALID.replace("  - code: GREET\n", "  - code: GREET\n    priority: 99999999999\n"),
                "Invalid flow file broken.yml at intents[0].priority: must be a whole number");
        assertBroken(VALID.replace("terminal: true", "terminal: 'yes'"),
                "Invalid flow file broken.yml at states[1].terminal: must be true or false");
        assertBroken(VALID.replace("IDLE: [DONE]", "IDLE: DONE"),
                "Invalid flow file broken.yml at transitions.IDLE: must be a list");
        assertBroken(VALID.replace("id: tiny", "id: {name: tiny}"),
                "Invalid flow file broken.yml at id: must be a non-empty text");
        assertBroken(VALID.replace("version: \"1\"", "version: ' '"),
                "Invalid flow file broken.yml at version: must be a non-empty text");
        assertBroken(VALID.replace("fallback: {intent: UNKNOWN, state: IDLE}", "fallback: IDLE"),
                "Invalid flow file broken.yml at fallback: must be a mapping (key: value)");
        assertBroken("- id: tiny\n", "Invalid flow file broken.yml at (root): must be a mapping (key: value)");
    }

    @Test
    void anUnknownResponseTypeListsTheKnownOnes() {
        assertBroken(VALID.replace("template: \"Hello!\"}", "template: \"Hello!\", type: xml}"),
                "Invalid flow file broken.yml at responses[0].type: 'xml' is not one of [TEXT, JSON, LLM]");
    }

    @Test
    void aMatcherWithTwoPatternsAndAnEmptyActionListAreReported() {
        assertBroken(VALID.replace("- contains: hello", "- {contains: hello, regex: hi}"),
                "Invalid flow file broken.yml at intents[0].match[0]: give exactly one of regex, contains or startsWith");
        assertBroken(VALID.replace("    then:\n      - setState: DONE\n", "    then: []\n"),
                "Invalid flow file broken.yml at rules[0].then: a rule needs at least one action");
        assertBroken(VALID.replace("    when: {intent: GREET}\n", ""),
                "Invalid flow file broken.yml at rules[0].when: must be a mapping (key: value)");
    }

    @Test
    void anUnknownKeyListsTheKnownOnesInOrder() {
        assertBroken(VALID.replace("- setState: DONE", "- setStat: DONE"),
                "Invalid flow file broken.yml at rules[0].then[0].setStat: unknown key 'setStat'; "
                        + "expected one of [callTool, setIntent, setSlot, setState]");
    }

    @Test
    void twoFilesWithTheSameIdAreReported(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.yml"), VALID);
        Files.writeString(dir.resolve("b.yml"), VALID);

        assertThatThrownBy(() -> new FlowLoader().loadAll(dir.toUri().toString()))
                .isInstanceOf(FlowDefinitionException.class)
                .hasMessage("Invalid flow file b.yml at id: flow id 'tiny' is also used by a.yml");
    }

    @Test
    void anUnknownActiveFlowIsReported(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("tiny.yml"), VALID);

        assertThatThrownBy(() -> new FlowLoader().loadActive(new FlowProperties(dir.toUri().toString(), "nope")))
                .isInstanceOf(FlowDefinitionException.class)
                .hasMessageContaining("No flow with id 'nope'").hasMessageContaining("[tiny]");
    }

    @Test
    void aDirectoryWithoutFlowsIsReported(@TempDir Path dir) {
        assertThatThrownBy(() -> new FlowLoader().loadAll(dir.toUri().toString()))
                .isInstanceOf(FlowDefinitionException.class).hasMessageStartingWith("No flow files (*.yml, *.yaml) at");
    }

    private static void assertBroken(String yaml, String... messageParts) {
        assertThatThrownBy(() -> FlowParser.parse("broken.yml", bytes(yaml)))
                .isInstanceOf(FlowDefinitionException.class)
                .satisfies(e -> {
                    assertThat(e.getMessage()).startsWith(messageParts[0]);
                    for (String part : messageParts) {
                        assertThat(e.getMessage()).contains(part);
                    }
                });
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
