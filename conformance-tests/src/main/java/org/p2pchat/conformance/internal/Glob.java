package org.p2pchat.conformance.internal;

import java.util.List;
import java.util.regex.Pattern;

/** Case selection patterns: {@code *} matches any run of characters (dots included), {@code ?} one character. */
public final class Glob {
  private Glob() {}

  public static boolean matches(String glob, String id) {
    StringBuilder regex = new StringBuilder();
    for (char c : glob.trim().toCharArray()) {
      if (c == '*') {
        regex.append(".*");
      } else if (c == '?') {
        regex.append('.');
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.matches(regex.toString(), id);
  }

  public static boolean matchesAny(List<String> globs, String id) {
    return globs.stream().anyMatch(g -> matches(g, id));
  }
}
