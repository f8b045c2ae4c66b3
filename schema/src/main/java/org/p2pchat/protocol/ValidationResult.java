package org.p2pchat.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The outcome of validating one message: its type and parsed tree when they could be told, and the
 * violations in a stable order (by pointer, then keyword, then message). Immutable.
 */
public final class ValidationResult {
  private final MessageType type;
  private final JsonNode tree;
  private final List<Violation> violations;

  ValidationResult(MessageType type, JsonNode tree, List<Violation> violations) {
    this.type = type;
    this.tree = tree;
    this.violations = List.copyOf(violations);
  }

  public boolean isValid() {
    return violations.isEmpty();
  }

  /** The message type, or null if the input was not a message with a known msgtype. */
  public MessageType type() {
    return type;
  }

  /** The parsed message, or null if the input did not parse as JSON. */
  public JsonNode tree() {
    return tree;
  }

  public List<Violation> violations() {
    return violations;
  }

  /** The first violation's one-line form, or {@code OK}. */
  public String summary() {
    return violations.isEmpty() ? "OK" : violations.get(0).toString();
  }

  @Override
  public String toString() {
    return isValid() ? "OK " + type : violations.toString();
  }
}
