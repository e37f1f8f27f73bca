package io.convtrail.command.turn;

/** What a turn answers: {@code type} is TEXT, or JSON (then {@code value} is JSON text). */
public record Answer(String type, String value) {
}
