package org.p2pchat.conformance.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.p2pchat.protocol.MessageType;
import org.p2pchat.protocol.ValidationResult;
import org.p2pchat.protocol.WireJson;

/** One connection's bytes that arrived at one of the suite's listeners. Immutable. */
public final class Arrival {
  private final String endpoint;
  private final byte[] bytes;
  private final ValidationResult validation;
  private final Instant at;

  Arrival(String endpoint, byte[] bytes, ValidationResult validation, Instant at) {
    this.endpoint = endpoint;
    this.bytes = bytes;
    this.validation = validation;
    this.at = at;
  }

  /** The label of the listener it arrived at. */
  public String endpoint() {
    return endpoint;
  }

  public boolean isAt(Endpoint where) {
    return endpoint.equals(where.label());
  }

  public int length() {
    return bytes.length;
  }

  public Instant at() {
    return at;
  }

  public boolean isValid() {
    return validation.isValid();
  }

  /** The message type if it is a valid message, else null. */
  public MessageType type() {
    return validation.isValid() ? validation.type() : null;
  }

  public JsonNode tree() {
    return validation.tree();
  }

  /** The msgdata as a generated object; only for a valid message of that class. */
  public <T> T as(Class<T> type) {
    if (!validation.isValid() || validation.type() != MessageType.forClass(type)) {
      throw new IllegalStateException("not a valid " + MessageType.forClass(type) + ": " + describe());
    }
    return WireJson.decode(validation.tree().get("msgdata"), type);
  }

  /** What it was and where, for verdict texts: {@code REGISTER_SUCCESS at peer B}. */
  public String describe() {
    String what = validation.isValid() ? validation.type().toString()
        : "an invalid message (" + validation.summary() + ")";
    return what + " at " + endpoint + ": " + WireLog.printable(bytes);
  }

  /** Short form: type and endpoint only. */
  public String brief() {
    return (validation.isValid() ? validation.type().toString() : "an invalid message") + " at " + endpoint;
  }
}
