package org.p2pchat.peer.internal;

import org.p2pchat.protocol.HostPort;

/** The lines a peer shows, in the 2018 program's exact words where it had them. */
public final class Lines {
  public static final String REGISTER_SUCCESSFUL = "Register Successful.";
  public static final String REGISTER_ERROR = "Register Error.";
  public static final String DISPLAY_ALL_PEERS = "display all peers:";
  public static final String PLEASE_ANSWER = "Please enter \"yes\" or \"no\":";
  public static final String CHAT_REFUSE = "CHAT REFUSE!";

  private Lines() {}

  /** {@code peername: NAME---HOST:PORT}, a listpeer line. */
  public static String peer(String name, HostPort address) {
    return "peername: " + printable(name) + "---" + printable(address.toString());
  }

  /** {@code chat_request: NAME --- HOST:PORT}. */
  public static String chatRequest(String name, HostPort address) {
    return "chat_request: " + named(name, address);
  }

  /** {@code chat accept: NAME --- HOST:PORT}. */
  public static String chatAccept(String name, HostPort address) {
    return "chat accept: " + named(name, address);
  }

  /** The line shown when an identity-v1 handshake completed: who, with which key, and that it is sealed. */
  public static String verifiedChat(String name, HostPort address, org.p2pchat.identity.IdentityKey key,
      org.p2pchat.identity.Session session) {
    return "chat with " + named(name, address) + " is verified (key " + key.fingerprint()
        + ") and encrypted (session " + session.id() + ")";
  }

  /** {@code NAME: MESSAGE}. */
  public static String message(String name, String message) {
    return printable(name) + ": " + printable(message);
  }

  /** {@code Disconnected from NAME}. */
  public static String disconnectedFrom(String name) {
    return "Disconnected from " + printable(name);
  }

  /** {@code NAME --- HOST:PORT}, how the 2018 program names a peer with its address. */
  public static String named(String name, HostPort address) {
    return printable(name) + " --- " + printable(address.toString());
  }

  /**
   * Text from the network made safe for one terminal line: C0 and C1 control characters (ESC, so every
   * escape sequence, included), line and paragraph separators, and invisible format characters (bidi
   * overrides and isolates, zero-width spaces, BOM) become {@code ?}, as do lone surrogates. A peer can then
   * neither move the cursor, clear the screen, forge extra lines nor reorder what we show. The zero-width
   * joiner stays: emoji sequences need it.
   */
  public static String printable(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder sb = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean loneSurrogate = Character.isHighSurrogate(c)
          ? i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))
          : Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)));
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || loneSurrogate
          || (Character.getType(c) == Character.FORMAT && c != '\u200D')) {
        if (sb == null) {
          sb = new StringBuilder(text);
        }
        sb.setCharAt(i, '?');
      }
    }
    return sb == null ? text : sb.toString();
  }
}
