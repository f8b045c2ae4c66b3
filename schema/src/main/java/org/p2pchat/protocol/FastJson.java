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
import java.util.ArrayList;
import java.util.List;

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

  private FastJson(byte[] bytes, int offset, int end) {
    this.b = bytes;
    this.i = offset;
    this.end = end;
  }

  /** The tree of {@code length} bytes from {@code offset}, or null when Jackson must decide. */
  static JsonNode parse(byte[] bytes, int offset, int length) {
    return new FastJson(bytes, offset, offset + length).run();
  }

  /**
   * One loop with an explicit stack of open containers rather than recursion: the JIT compiles a small
   * method quickly (a recursive descent inlined into itself took C2 most of a second under load).
   */
  private JsonNode run() {
    skipSpace();
    if (i >= end || b[i] != '{') {
      return null;
    }
    i++;
    JsonNode[] stack = new JsonNode[8];
    int top = 0;
    stack[0] = NODES.objectNode();
    boolean empty = true; // the innermost open container has no member yet, so it may close at once
    while (true) {
      skipSpace();
      if (i >= end) {
        return null;
      }
      JsonNode container = stack[top];
      ObjectNode object = container instanceof ObjectNode ? (ObjectNode) container : null;
      byte c = b[i];
      if (empty && c == (object != null ? '}' : ']')) {
        i++;
        if (top == 0) {
          return finish(stack[0]);
        }
        top--;
      } else {
        String name = null;
        if (object != null) {
          if (c != '"') {
            return null;
          }
          name = string();
          if (name == null || name.length() > MAX_NAME) {
            return null;
          }
          skipSpace();
          if (i >= end || b[i] != ':') {
            return null;
          }
          i++;
          skipSpace();
          if (i >= end) {
            return null;
          }
          c = b[i];
        }
        JsonNode value;
        boolean open = c == '{' || c == '[';
        if (open) {
          if (top + 1 >= MAX_DEPTH) {
            return null;
          }
          i++;
          value = c == '{' ? NODES.objectNode() : NODES.arrayNode();
        } else {
          value = scalar(c);
          if (value == null) {
            return null;
          }
        }
        if (object != null) {
          if (object.replace(name, value) != null) {
            return null; // a duplicate name: Jackson's rules decide
          }
        } else {
          ((ArrayNode) container).add(value);
        }
        if (open) {
          if (++top == stack.length) {
            stack = java.util.Arrays.copyOf(stack, stack.length * 2);
          }
          stack[top] = value;
          empty = true;
          continue;
        }
      }
      // After a member: a comma asks for the next one; a close ends the container, and maybe its parents.
      while (true) {
        skipSpace();
        if (i >= end) {
          return null;
        }
        c = b[i++];
        if (c == ',') {
          empty = false;
          break;
        }
        if (c != (stack[top] instanceof ObjectNode ? '}' : ']')) {
          return null;
        }
        if (top == 0) {
          return finish(stack[0]);
        }
        top--;
      }
    }
  }

  /** The root, if only white space follows it. */
  private JsonNode finish(JsonNode root) {
    skipSpace();
    return i == end ? root : null;
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

  private JsonNode scalar(byte c) {
    switch (c) {
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

  /** At a quote: the string's text, or null for raw non-ASCII or control bytes, bad escapes or no end. */
  private String string() {
    int start = ++i;
    int hash = 0; // String.hashCode of the ASCII text, to find a known one without making a new one
    while (i < end) {
      byte c = b[i];
      if (c == '"') {
        int length = i - start;
        i++;
        String known = Known.find(b, start, length, hash);
        // Plain ASCII: one copy into a compact string.
        return known != null ? known : new String(b, start, length, StandardCharsets.ISO_8859_1);
      }
      if (c == '\\') {
        return escaped(start);
      }
      if (c < 0x20) { // a control byte, or (negative) a non-ASCII one
        return null;
      }
      hash = 31 * hash + c;
      i++;
    }
    return null;
  }

  /**
   * The field names of every schema and the wire names, as shared strings: a message's names then cost
   * no allocation, and their hash codes, which the tree's maps and later lookups need, are already known.
   */
  static final class Known {
    private static final int SLOTS = 256;
    private static final String[] TABLE = new String[SLOTS];

    static {
      List<String> words = new ArrayList<>(List.of("msgtype", "msgdata", "peername", "host", "port", "features",
          "idkey", "ephkey", "nonce", "sig", "ts", "to", "re", "message", "seq", "box", "filename", "filenum",
          "curnum", "filedata", "peerlist", "keys", "localhost", "127.0.0.1"));
      for (MessageType type : MessageType.values()) {
        words.add(type.wireName());
      }
      for (String word : words) {
        int slot = word.hashCode() & (SLOTS - 1);
        while (TABLE[slot] != null && !TABLE[slot].equals(word)) {
          slot = (slot + 1) & (SLOTS - 1);
        }
        TABLE[slot] = word;
      }
    }

    private Known() {}

    static String find(byte[] b, int start, int length, int hash) {
      for (int slot = hash & (SLOTS - 1); ; slot = (slot + 1) & (SLOTS - 1)) {
        String word = TABLE[slot];
        if (word == null) {
          return null;
        }
        if (word.hashCode() == hash && word.length() == length && sameAscii(word, b, start)) {
          return word;
        }
      }
    }

    private static boolean sameAscii(String word, byte[] b, int start) {
      for (int k = 0; k < word.length(); k++) {
        if (word.charAt(k) != b[start + k]) {
          return false;
        }
      }
      return true;
    }
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
