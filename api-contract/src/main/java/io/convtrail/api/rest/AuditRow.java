package io.convtrail.api.rest;

import io.convtrail.api.Stage;

import java.util.UUID;

/** ConvEngine's raw audit row: the payload as JSON text, createdAt as ISO-8601 UTC. */
public record AuditRow(long auditId, UUID conversationId, Stage stage, String payloadJson, String createdAt) {
}
