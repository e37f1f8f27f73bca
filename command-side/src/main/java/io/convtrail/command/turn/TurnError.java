package io.convtrail.command.turn;

/** Why a turn failed; {@code errorCode} is null for a failure the engine does not know. */
public record TurnError(String errorCode, String message, boolean recoverable) {
}
