package org.p2pchat.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;

/**
 * A narrow JSON reader for what messages usually look like: it builds exactly the tree {@link WireJson}'s
 * reader builds, or answers null ("not sure") and the caller parses with Jackson, which alone reports errors.
 *
 * <p>Jackson spends most of a small message's time setting up its parser; this reads the bytes once. It
 * takes an object root, ASCII strings with JSON escapes ({@code \\uXXXX} is how the 2018 program writes every
 * non-ASCII character), integers up to 18 digits, {@code true}, {@code false}, {@code null}, nesting up to
 * {@value #MAX_DEPTH}. Anything else (raw non-ASCII bytes, fractions and exponents, duplicate names, bad
 * syntax, trailing data) is "not sure". FastJsonTest proves the trees equal on every vector, every
 * truncation and seeded byte mutations.
 */
final class FastJson {
  static final int MAX_DEPTH = 64;
  private static final int MAX_NAME = 1024;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final byte[] b;
  private final int end;
  private int i;
  private int depth;

  private FastJson(byte[] bytes, int offset, int end) {
    this.b = bytes;
    this.i = offset;
    this.end = end;
  }

  /** The tree of {@code length} bytes from {@code offset}, or null when Jackson must decide. */
  static JsonNode parse(byte[] bytes, int offset, int length) {
    FastJson p = new FastJson(bytes, offset, offset + length);
    p.skipSpace();
    if (p.i >= p.end || bytes[p.i] != '{') {
      return null;
    }
    JsonNode root = p.object();
    if (root == null) {
      return null;
    }
    p.skipSpace();
    return p.i == p.end ? root : null;
  }

  private void skipSpace() {
    while (i < end) {
      byte c = b[i];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        return;
      }
      i++;
    }
  }

  private JsonNode value() {
    if (i >= end) {
      return null;
    }
    byte c = b[i];
    switch (c) {
      case '{':
        return object();
      case '[':
        return array();
      case '"': {
        String s = string();
        return s == null ? null : TextNode.valueOf(s);
      }
      case 't':
        return literal("true") ? BooleanNode.TRUE : null;
      case 'f':
        return literal("false") ? BooleanNode.FALSE : null;
      case 'n':
        return literal("null") ? NullNode.getInstance() : null;
      default:
        return c == '-' || (c >= '0' && c <= '9') ? number() : null;
    }
  }

  private JsonNode object() {
    if (++depth > MAX_DEPTH) {
      return null;
    }
    i++; // '{'
    ObjectNode node = NODES.objectNode();
    skipSpace();
    if (i < end && b[i] == '}') {
      i++;
      depth--;
      return node;
    }
    while (true) {
      if (i >= end || b[i] != '"') {
        return null;
      }
      String name = string();
      if (name == null || name.length() > MAX_NAME) {
        return null;
      }
      skipSpace();
      if (i >= end || b[i] != ':') {
        return null;
      }
      i++;
      skipSpace();
      JsonNode value = value();
      if (value == null || node.replace(name, value) != null) {
        return null; // bad value, or a duplicate name: Jackson's rules decide
      }
      skipSpace();
      if (i >= end) {
        return null;
      }
      byte c = b[i++];
      if (c == '}') {
        depth--;
        return node;
      }
      if (c != ',') {
        return null;
      }
      skipSpace();
    }
  }

  private JsonNode array() {
    if (++depth > MAX_DEPTH) {
      return null;
    }
    i++; // '['
    ArrayNode node = NODES.arrayNode();
    skipSpace();
    if (i < end && b[i] == ']') {
      i++;
      depth--;
      return node;
    }
    while (true) {
      JsonNode value = value();
      if (value == null) {
        return null;
      }
      node.add(value);
      skipSpace();
      if (i >= end) {
        return null;
      }
      byte c = b[i++];
      if (c == ']') {
        depth--;
        return node;
      }
      if (c != ',') {
        return null;
      }
      skipSpace();
    }
  }

  /** At a quote: the string's text, or null for raw non-ASCII or control bytes, bad escapes or no end. */
  private String string() {
    int start = ++i;
    while (i < end) {
      byte c = b[i];
      if (c == '"') {
        // Plain ASCII: one copy into a compact string.
        String s = new String(b, start, i - start, StandardCharsets.ISO_8859_1);
        i++;
        return s;
      }
      if (c == '\\') {
        return escaped(start);
      }
      if (c < 0x20) { // a control byte, or (negative) a non-ASCII one
        return null;
      }
      i++;
    }
    return null;
  }

  private String escaped(int start) {
    StringBuilder sb = new StringBuilder(i - start + 16);
    for (int k = start; k < i; k++) {
      sb.append((char) b[k]);
    }
    while (i < end) {
      byte c = b[i++];
      if (c == '"') {
        return sb.toString();
      }
      if (c < 0x20) {
        return null;
      }
      if (c != '\\') {
        sb.append((char) c);
        continue;
      }
      if (i >= end) {
        return null;
      }
      byte e = b[i++];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          sb.append((char) e);
          break;
        case 'b':
          sb.append('\b');
          break;
        case 'f':
          sb.append('\f');
          break;
        case 'n':
          sb.append('\n');
          break;
        case 'r':
          sb.append('\r');
          break;
        case 't':
          sb.append('\t');
          break;
        case 'u': {
          if (end - i < 4) {
            return null;
          }
          int code = 0;
          for (int k = 0; k < 4; k++) {
            int digit = Character.digit(b[i++], 16);
            if (digit < 0) {
              return null;
            }
            code = code << 4 | digit;
          }
          // Jackson keeps each escaped unit as it is, surrogates (paired or not) included.
          sb.append((char) code);
          break;
        }
        default:
          return null;
      }
    }
    return null;
  }

  private boolean literal(String word) {
    int n = word.length();
    if (end - i < n) {
      return false;
    }
    for (int k = 0; k < n; k++) {
      if (b[i + k] != word.charAt(k)) {
        return false;
      }
    }
    i += n;
    return i == end || delimiter(b[i]);
  }

  /** An integer of at most 18 digits, no leading zero, no minus zero, no fraction or exponent. */
  private JsonNode number() {
    boolean negative = b[i] == '-';
    if (negative) {
      i++;
    }
    int first = i;
    long value = 0;
    while (i < end && b[i] >= '0' && b[i] <= '9') {
      value = value * 10 + (b[i] - '0');
      i++;
      if (i - first > 18) {
        return null;
      }
    }
    int digits = i - first;
    if (digits == 0 || (digits > 1 && b[first] == '0') || (negative && value == 0)) {
      return null;
    }
    if (i < end && !delimiter(b[i])) {
      return null; // '.', 'e', 'E' or junk: Jackson decides
    }
    if (negative) {
      value = -value;
    }
    // Jackson's reader gives an int node when the value fits an int, else a long node.
    return value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE ? IntNode.valueOf((int) value)
        : LongNode.valueOf(value);
  }

  private static boolean delimiter(byte c) {
    return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\n' || c == '\r' || c == '\t';
  }
}
