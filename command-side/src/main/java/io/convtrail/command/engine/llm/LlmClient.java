package io.convtrail.command.engine.llm;

/**
 * The port to a language model. convtrail ships no implementation: the demo flow is deterministic.
 * A flow with an LLM response needs a bean implementing this, or startup fails.
 */
public interface LlmClient {

    /** Answers a rendered prompt; may block, so the engine commits what it recorded first. */
    String complete(String prompt);
}
