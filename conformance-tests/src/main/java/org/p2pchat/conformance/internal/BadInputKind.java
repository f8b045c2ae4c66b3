package org.p2pchat.conformance.internal;

import java.nio.charset.StandardCharsets;
import org.p2pchat.conformance.Role;

/**
 * Bad input a generated sequence interleaves with valid messages. Only kinds no reader could answer: a
 * lenient reading of them has nothing to reply to, so the model can predict silence for all of them.
 */
public enum BadInputKind {
  EMPTY("a connection closed without a byte"),
  GARBAGE("text that is not JSON"),
  TRUNCATED("a message cut in the middle"),
  UNKNOWN_TYPE("an unknown msgtype"),
  MISSING_FIELDS("a message missing its host and port");

  private final String description;

  BadInputKind(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }

  /** The bytes, for a target of {@code role}. */
  byte[] bytes(Role role) {
    String type = role == Role.SERVER ? "REGISTER" : "CHAT_REQUEST";
    String text;
    switch (this) {
      case EMPTY:
        text = "";
        break;
      case GARBAGE:
        text = "hello?";
        break;
      case TRUNCATED:
        text = "{\"msgtype\": \"" + type + "\", \"msgdata\": {\"peername\": \"cut";
        break;
      case UNKNOWN_TYPE:
        text = "{\"msgtype\": \"NO_SUCH_TYPE\", \"msgdata\": {}}";
        break;
      case MISSING_FIELDS:
        text = "{\"msgtype\": \"" + type + "\", \"msgdata\": {\"peername\": \"nobody\"}}";
        break;
      default:
        throw new IllegalStateException(name());
    }
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
