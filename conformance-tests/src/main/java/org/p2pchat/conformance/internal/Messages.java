package org.p2pchat.conformance.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.WireJson;
import org.p2pchat.protocol.model.ChatMessage;
import org.p2pchat.protocol.model.ChatRequest;
import org.p2pchat.protocol.model.Disconnect;
import org.p2pchat.protocol.model.ExitNetwork;
import org.p2pchat.protocol.model.ListpeerRequest;
import org.p2pchat.protocol.model.Register;

/** The messages the suite sends, as the 2018 program writes them. */
public final class Messages {
  /** The unknown extra field that pads a message; readers must ignore fields they do not know. */
  public static final String PADDING_FIELD = "x-conformance-padding";

  private Messages() {}

  public static byte[] encode(Object message) {
    return WireJson.encode(message, WireJson.Style.PYTHON);
  }

  /** {@code message} with an unknown extra msgdata field that makes it about {@code totalBytes} long. */
  public static byte[] padded(Object message, int totalBytes) {
    ObjectNode tree = WireJson.toTree(message);
    int base = encode(message).length + PADDING_FIELD.length() + 8;
    ((ObjectNode) tree.get("msgdata")).put(PADDING_FIELD, "x".repeat(Math.max(1, totalBytes - base)));
    return WireJson.write(tree, WireJson.Style.PYTHON);
  }

  /**
   * A REGISTER that also says the suite reads a reply to end of stream ({@code features: ["eof"]}, a field a
   * 2018 server ignores): a server may cut the LISTPEER reply of a name that advertised nothing to 1,024
   * bytes (docs/protocol.md#rule-listpeer-order), which would hide the suite's names behind earlier names.
   */
  public static Register register(String name, HostPort at) {
    return register2018(name, at).withFeatures(new java.util.LinkedHashSet<>(java.util.List.of("eof")));
  }

  /** A REGISTER exactly as the 2018 program writes it: no features. */
  public static Register register2018(String name, HostPort at) {
    return new Register().withPeername(name).withHost(at.host()).withPort(at.port());
  }

  public static ListpeerRequest listpeer(String name) {
    return new ListpeerRequest().withPeername(name);
  }

  public static ExitNetwork exit(String name) {
    return new ExitNetwork().withPeername(name);
  }

  public static ChatRequest chatRequest(String name, HostPort at) {
    return new ChatRequest().withPeername(name).withHost(at.host()).withPort(at.port());
  }

  public static ChatMessage chatMessage(String name, String text) {
    return new ChatMessage().withPeername(name).withMessage(text);
  }

  public static Disconnect disconnect(String name) {
    return new Disconnect().withPeername(name);
  }
}
