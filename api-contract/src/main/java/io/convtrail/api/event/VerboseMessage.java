package io.convtrail.api.event;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/**
 * ConvEngine's verbose message: human-readable progress chosen by (intent, state, step,
 * determinant, rule, tool). {@code verboseId} is the message's per-conversation sequence number,
 * assigned when it is recorded.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record VerboseMessage(
        Long verboseId,
        String eventType,
        String stepName,
        String determinant,
        String intent,
        String state,
        String ruleId,
        String toolCode,
        String level,
        String text,
        Map<String, Object> metadata) {

    public VerboseMessage withVerboseId(long id) {
        return new VerboseMessage(id, eventType, stepName, determinant, intent, state, ruleId, toolCode,
                level, text, metadata);
    }
}
