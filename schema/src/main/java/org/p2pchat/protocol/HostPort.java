package org.p2pchat.protocol;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A peer's advertised listening address, written on the wire as the JSON array {@code [host, port]}.
 *
 * <p>Immutable and thread-safe. This is the one hand-written type of the generated model: the schema's
 * {@code address} definition names it through {@code existingJavaType}.
 */
@JsonFormat(shape = JsonFormat.Shape.ARRAY)
@JsonDeserialize(using = HostPort.Reader.class)
public final class HostPort {
  private final String host;
  private final int port;

  public HostPort(String host, int port) {
    this.host = Objects.requireNonNull(host, "host");
    this.port = port;
  }

  /** What Jackson hands a delegating creator, read without its generic machinery (a LISTPEER reply is mostly these). */
  static HostPort fromJson(List<Object> pair) {
    if (pair == null || pair.size() != 2 || !(pair.get(0) instanceof String) || !(pair.get(1) instanceof Number)) {
      throw new IllegalArgumentException("expected [host, port], got " + pair);
    }
    return new HostPort((String) pair.get(0), ((Number) pair.get(1)).intValue());
  }

  /** Parses {@code host:port}; the port is the part after the last colon. */
  public static HostPort parse(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("expected HOST:PORT, got '" + text + "'");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("port is not a number in '" + text + "'");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range 0-65535 in '" + text + "'");
    }
    return new HostPort(host, port);
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  @JsonValue
  List<Object> toJson() {
    return List.of(host, port);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HostPort && ((HostPort) o).host.equals(host) && ((HostPort) o).port == port;
  }

  @Override
  public int hashCode() {
    return host.hashCode() * 31 + port;
  }

  /** {@code host:port}, as the 2018 program prints it. */
  @Override
  public String toString() {
    return host + ":" + port;
  }

  /**
   * Reads {@code [host, port]}: a string and an int straight from the tokens; any other element as Jackson
   * reads an untyped value, then {@link #fromJson} judges the pair as before.
   */
  static final class Reader extends StdDeserializer<HostPort> {
    Reader() {
      super(HostPort.class);
    }

    @Override
    public HostPort deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (!p.isExpectedStartArrayToken()) {
        return (HostPort) ctxt.handleUnexpectedToken(List.class, p);
      }
      List<Object> pair = new ArrayList<>(2);
      for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
        if (t == JsonToken.VALUE_STRING) {
          pair.add(p.getText());
        } else if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
          pair.add(p.getIntValue());
        } else {
          pair.add(ctxt.readValue(p, Object.class));
        }
      }
      try {
        return fromJson(pair);
      } catch (IllegalArgumentException e) {
        return (HostPort) ctxt.handleInstantiationProblem(HostPort.class, pair, e);
      }
    }
  }
}
