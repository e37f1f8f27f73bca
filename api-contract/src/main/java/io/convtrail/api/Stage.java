package io.convtrail.api;

/**
 * Every audit stage the engine can record. The wire name is the enum constant's name, so a stage
 * name never contains a space and SSE clients can listen for it by name.
 */
public enum Stage {
    STEP_ENTER,
    STEP_EXIT,
    STEP_ERROR,

    CONVERSATION_RESET,
    USER_INPUT,

    GUARDRAIL_ALLOW,
    GUARDRAIL_DENY,
    POLICY_BLOCK,

    INTENT_RESOLVE_START,
    INTENT_CLASSIFICATION_MATCHED,
    INTENT_RESOLVED_BY_CLASSIFIER,
    INTENT_RESOLVE_NO_CHANGE,
    INTENT_RESOLVE_SKIPPED_LOCKED,
    INTENT_CLASSIFIER_NO_MATCH,

    INTENT_MISSING,
    STATE_MISSING,

    SCHEMA_EXTRACTION_START,
    SCHEMA_SLOT_EXTRACTED,
    SCHEMA_SLOT_INVALID,
    SCHEMA_STATUS,

    MCP_TOOL_CALL,
    MCP_TOOL_RESULT,
    MCP_TOOL_ERROR,
    MCP_NO_TOOLS_AVAILABLE,

    RULE_MATCH,
    SET_STATE,
    SET_INTENT,
    SET_SLOT,
    CALL_TOOL,
    RULE_APPLIED,
    RULE_NO_MATCH,

    STATE_GRAPH_VALID,
    STATE_GRAPH_VIOLATION,

    RESOLVE_RESPONSE,
    RESPONSE_EXACT,
    RESPONSE_TEMPLATE,
    ASSISTANT_OUTPUT,

    ENGINE_RETURN,
    PIPELINE_TIMING,

    ENGINE_KNOWN_FAILURE,
    ENGINE_UNKNOWN_FAILURE,

    TURN_ABANDONED,
    MCP_USER_FEEDBACK,
    /** The conversation's personal content was erased (its key destroyed): who, why. */
    CONVERSATION_ERASED
}
