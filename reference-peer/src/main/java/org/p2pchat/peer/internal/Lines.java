package org.p2pchat.peer.internal;

import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.Printable;

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
   * Text from the network made safe for one terminal line, by the one shared escaping
   * ({@link Printable#of(String)}): C0 and C1 control characters (ESC, so every escape sequence), line and
   * paragraph separators, bidi overrides and isolates, zero-width and other format characters and lone
   * surrogates are shown as {@code \}{@code uXXXX}, newline as {@code \n}, a backslash doubled. A peer can then
   * neither move the cursor, clear the screen, forge extra lines nor reorder what we show. Null is "".
   */
  public static String printable(String text) {
    return text == null ? "" : Printable.of(text);
  }

  /**
   * A whole line about to be shown or logged, as a last guard: any code point {@link Printable#isUnsafe
   * unsafe} on a terminal that reached it unescaped (in an error text, say) is shown as {@code \}{@code uXXXX}.
   * Text already escaped passes unchanged (backslashes are not doubled again).
   */
  public static String safeLine(String line) {
    if (line == null) {
      return "";
    }
    int i = 0;
    while (i < line.length()) {
      int cp = line.codePointAt(i);
      if (Printable.isUnsafe(cp)) {
        break;
      }
      i += Character.charCount(cp);
    }
    if (i == line.length()) {
      return line;
    }
    StringBuilder out = new StringBuilder(line.length() + 16).append(line, 0, i);
    while (i < line.length()) {
      int cp = line.codePointAt(i);
      i += Character.charCount(cp);
      if (Printable.isUnsafe(cp)) {
        out.append(String.format("\\u%04x", cp));
      } else {
        out.appendCodePoint(cp);
      }
    }
    return out.toString();
  }
}
