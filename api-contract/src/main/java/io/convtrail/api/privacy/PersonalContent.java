package io.convtrail.api.privacy;

import java.util.Set;

/**
 * What counts as personal content: anything the user typed or that was derived from it. Only these
 * values are sealed with the conversation's key; everything else of a record (stages, steps, timings,
 * intents, states, flow ids, {@code _meta}) is structure and stays readable after an erasure.
 * <ul>
 *   <li>top-level fields of a stage payload named in {@link #STAGE_FIELDS};</li>
 *   <li>a turn's user text and input parameters, its slot and context values;</li>
 *   <li>a verbose message's text and metadata values.</li>
 * </ul>
 */
public final class PersonalContent {

    /** What a reader sees where a value was sealed with a key that an erasure destroyed. */
    public static final String ERASED = "[erased]";

    /** What a reader sees where a sealed value does not open with its conversation's key (altered in storage). */
    public static final String UNREADABLE = "[unreadable]";

    /**
     * Stage payload fields that hold personal content: the user's text ({@code text}), input parameters,
     * slot values ({@code value}), tool inputs and results ({@code args}, {@code result}), the assistant's
     * output, error texts that may quote the input ({@code message}, {@code errorMessage}) and feedback
     * ({@code assistantResponse}, {@code metadata}).
     */
    public static final Set<String> STAGE_FIELDS = Set.of("text", "inputParams", "value", "args", "result", "output",
            "message", "errorMessage", "assistantResponse", "metadata");

    private PersonalContent() {
    }
}
