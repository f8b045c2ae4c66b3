package org.p2pchat.peer.internal;

/** What makes a usable peer name for this peer. */
public final class Names {
  private Names() {}

  /**
   * Why {@code name} cannot be this peer's name, or null if it can: the schema's 1 to 64 characters
   * without control characters, and no white space, since commands name peers by one word.
   */
  public static String problem(String name) {
    if (name == null || name.isEmpty()) {
      return "a name is needed";
    }
    if (name.codePointCount(0, name.length()) > 64) {
      return "a name has at most 64 characters";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)) {
        return "a name cannot contain spaces or control characters";
      }
    }
    return null;
  }
}
