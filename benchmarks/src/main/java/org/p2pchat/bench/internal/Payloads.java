package org.p2pchat.bench.internal;

import org.p2pchat.protocol.WireJson;
import org.p2pchat.protocol.model.ChatMessage;

/** The messages the load generator sends, in the 2018 program's own wire form. */
public final class Payloads {
  /** The sender name the load generator uses. */
  public static final String SENDER = "loadgen";

  private Payloads() {}

  /** A CHAT_MESSAGE of about 100 bytes, the floor's message size too. */
  public static byte[] chatMessage() {
    return chatMessage("the load generator says hello, seventy bytes of text");
  }

  /** A CHAT_MESSAGE from {@link #SENDER} with the given text. */
  public static byte[] chatMessage(String text) {
    return WireJson.encode(new ChatMessage().withPeername(SENDER).withMessage(text), WireJson.Style.PYTHON);
  }
}
