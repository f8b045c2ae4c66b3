package org.p2pchat.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * A hand-written check of each msgdata schema that answers only "surely valid" or "not sure".
 *
 * <p>It is deliberately narrower than the schemas: whatever it accepts the schemas accept (FastCheckTest runs
 * every vector and thousands of seeded mutations through both), and anything unusual (non-ASCII hosts,
 * surrogate pairs in names, numbers written with a fraction, long boxes, a field of the wrong JSON type) is
 * "not sure", so the caller runs the full schema pass, which alone writes violations. Keep it in step with
 * the schemas under {@code messages/} and {@code definitions.json}: a field this class does not know is
 * "not sure" only if the schema constrains it, so a new constrained field must be added here too.
 */
final class FastCheck {
  /** Boxes longer than this go to the full pass: it is the reference for huge strings' regex cost. */
  static final int MAX_FAST_BOX = 4096;

  private static final long MAX_SAFE_INTEGER = 9007199254740991L;

  private FastCheck() {}

  /** True only if {@code data}, the msgdata object of a {@code type} message, satisfies its schema. */
  static boolean surelyValid(MessageType type, JsonNode data) {
    if (!data.isObject()) {
      return false;
    }
    switch (type) {
      case REGISTER:
        return required(data, "peername", "host", "port")
            && peername(data, "peername") && host(data, "host") && port(data, "port")
            && optFeatures(data) && optKey32(data, "idkey") && optTimestamp(data, "ts") && optNonce16(data, "nonce")
            && optSignature(data, "sig")
            && dependsOn(data, "idkey", "sig")
            && dependsOn(data, "sig", "ts", "nonce")
            && dependsOn(data, "ts", "sig") && dependsOn(data, "nonce", "sig");
      case REGISTER_SUCCESS:
      case REGISTER_ERROR:
        return signedReply(data);
      case LISTPEER_REQUEST:
      case EXIT_NETWORK:
        // after (LISTPEER, since 2) is a cursor: the same integer range as a timestamp.
        return required(data, "peername") && peername(data, "peername") && optTimestamp(data, "after")
            && optTimestamp(data, "ts") && optNonce16(data, "nonce") && optSignature(data, "sig")
            && dependsOn(data, "sig", "ts", "nonce")
            && dependsOn(data, "ts", "sig") && dependsOn(data, "nonce", "sig");
      case LISTPEER_REPLY:
        return required(data, "peerlist") && peerlist(data.get("peerlist")) && optKeys(data.get("keys"))
            && optTimestamp(data, "next")
            && signedReply(data) && dependsOn(data, "keys", "sig");
      case CHAT_REQUEST:
        return chatOffer(data)
            && dependsOn(data, "idkey", "features", "ephkey", "nonce");
      case CHAT_ACCEPT:
        return chatOffer(data) && optSignature(data, "sig")
            && dependsOn(data, "idkey", "features", "ephkey", "nonce", "sig") && dependsOn(data, "sig", "idkey");
      case CHAT_REFUSE:
        return optPeername(data, "peername") && optFeatures(data) && optKey32(data, "idkey")
            && optSignature(data, "sig") && dependsOn(data, "sig", "peername", "idkey");
      case CHAT_CONFIRM:
        return required(data, "peername", "sig") && peername(data, "peername") && signature(data.get("sig"));
      case CHAT_MESSAGE:
        return required(data, "peername") && peername(data, "peername") && optText(data, "message")
            && sealed(data) && (data.has("message") || data.has("seq"));
      case DISCONNECT:
        return required(data, "peername") && peername(data, "peername") && sealed(data);
      case FILE_TRANSFER:
        return required(data, "peername", "filename", "filenum", "curnum", "filedata")
            && peername(data, "peername") && filename(data.get("filename"))
            && integer(data.get("filenum"), 1, 1_000_000) && integer(data.get("curnum"), 0, 1_000_000)
            && string(data.get("filedata"), 0, 128);
      case FILE_TRANSFER_REQUEST:
      case FILE_TRANSFER_ACCEPT:
      case FILE_TRANSFER_REFUSE:
        return optPeername(data, "peername") && (!data.has("filename") || filename(data.get("filename")));
      default:
        // A type this class does not know yet: the schema decides.
        return false;
    }
  }

  /** REGISTER_SUCCESS / REGISTER_ERROR / LISTPEER reply: the optional signed-reply fields. */
  private static boolean signedReply(JsonNode data) {
    return optKey32(data, "idkey") && optPeername(data, "to") && optNonce16(data, "re") && optSignature(data, "sig")
        && dependsOn(data, "sig", "idkey", "to", "re")
        && dependsOn(data, "idkey", "sig") && dependsOn(data, "to", "sig") && dependsOn(data, "re", "sig");
  }

  /** CHAT_REQUEST / CHAT_ACCEPT: who and where, plus the optional handshake fields. */
  private static boolean chatOffer(JsonNode data) {
    return required(data, "peername", "host", "port")
        && peername(data, "peername") && host(data, "host") && port(data, "port")
        && optFeatures(data) && optKey32(data, "idkey") && optKey32(data, "ephkey") && optNonce32(data, "nonce")
        && dependsOn(data, "ephkey", "idkey") && dependsOn(data, "nonce", "idkey");
  }

  /** Optional seq + box, each requiring the other. */
  private static boolean sealed(JsonNode data) {
    JsonNode seq = data.get("seq");
    JsonNode box = data.get("box");
    if (seq == null && box == null) {
      return true;
    }
    return seq != null && box != null && integer(seq, 0, MAX_SAFE_INTEGER) && box(box);
  }

  private static boolean required(JsonNode data, String... names) {
    for (String name : names) {
      if (!data.has(name)) {
        return false;
      }
    }
    return true;
  }

  private static boolean dependsOn(JsonNode data, String field, String... needs) {
    return !data.has(field) || required(data, needs);
  }

  private static boolean peername(JsonNode data, String field) {
    return peername(data.get(field));
  }

  private static boolean optPeername(JsonNode data, String field) {
    JsonNode node = data.get(field);
    return node == null || peername(node);
  }

  /** 1..64 characters, no control characters; only plain BMP text is judged here. */
  static boolean peername(JsonNode node) {
    return node != null && node.isTextual() && peernameText(node.textValue());
  }

  /** 1..253 characters; only printable ASCII without spaces is judged here. */
  private static boolean host(JsonNode data, String field) {
    return host(data.get(field));
  }

  private static boolean host(JsonNode node) {
    if (node == null || !node.isTextual()) {
      return false;
    }
    String s = node.textValue();
    int n = s.length();
    if (n < 1 || n > 253) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c <= 0x20 || c >= 0x7F) {
        return false;
      }
    }
    return true;
  }

  private static boolean port(JsonNode data, String field) {
    return integer(data.get(field), 1, 65535);
  }

  /** An integer written without fraction or exponent, in range; 40000.0 and friends go to the schema. */
  private static boolean integer(JsonNode node, long min, long max) {
    if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
      return false;
    }
    long v = node.longValue();
    return v >= min && v <= max;
  }

  private static boolean optTimestamp(JsonNode data, String field) {
    JsonNode node = data.get(field);
    return node == null || integer(node, 0, MAX_SAFE_INTEGER);
  }

  /** A string of min..max characters (counted as UTF-16 units: only sure when that cannot differ). */
  private static boolean string(JsonNode node, int min, int max) {
    if (node == null || !node.isTextual()) {
      return false;
    }
    String s = node.textValue();
    // UTF-16 length is at least the code point count, so n <= max proves the maximum; the minimum is
    // proved only when min <= 1 (any non-empty string has a code point) or the string has no surrogates.
    int n = s.length();
    if (n > max) {
      return false;
    }
    if (min == 0) {
      return true;
    }
    return min == 1 ? n >= 1 : n >= min && noSurrogates(s);
  }

  private static boolean noSurrogates(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isSurrogate(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean filename(JsonNode node) {
    return string(node, 1, 255);
  }

  private static boolean optText(JsonNode data, String field) {
    JsonNode node = data.get(field);
    return node == null || string(node, 0, 65536);
  }

  private static boolean optFeatures(JsonNode data) {
    JsonNode node = data.get("features");
    if (node == null) {
      return true;
    }
    if (!node.isArray() || node.size() > 32) {
      return false;
    }
    int n = node.size();
    for (int i = 0; i < n; i++) {
      JsonNode item = node.get(i);
      if (!feature(item)) {
        return false;
      }
      for (int j = 0; j < i; j++) {
        if (node.get(j).textValue().equals(item.textValue())) {
          return false;
        }
      }
    }
    return true;
  }

  /** {@code ^[a-z][a-z0-9-]{0,31}$}. */
  private static boolean feature(JsonNode node) {
    if (node == null || !node.isTextual()) {
      return false;
    }
    String s = node.textValue();
    int n = s.length();
    if (n < 1 || n > 32 || s.charAt(0) < 'a' || s.charAt(0) > 'z') {
      return false;
    }
    for (int i = 1; i < n; i++) {
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
        return false;
      }
    }
    return true;
  }

  private static boolean b64url(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  }

  /** Exactly {@code length} base64url characters, the last one among {@code last}. */
  private static boolean b64(JsonNode node, int length, String last) {
    if (node == null || !node.isTextual()) {
      return false;
    }
    String s = node.textValue();
    if (s.length() != length) {
      return false;
    }
    for (int i = 0; i < length - 1; i++) {
      if (!b64url(s.charAt(i))) {
        return false;
      }
    }
    return last.indexOf(s.charAt(length - 1)) >= 0;
  }

  private static final String LAST_OF_32 = "AEIMQUYcgkosw048";
  private static final String LAST_OF_16_64 = "AQgw";

  static boolean key32(JsonNode node) {
    return b64(node, 43, LAST_OF_32);
  }

  private static boolean optKey32(JsonNode data, String field) {
    JsonNode node = data.get(field);
    return node == null || key32(node);
  }

  private static boolean optNonce32(JsonNode data, String field) {
    return optKey32(data, field);
  }

  private static boolean optNonce16(JsonNode data, String field) {
    JsonNode node = data.get(field);
    return node == null || b64(node, 22, LAST_OF_16_64);
  }

  private static boolean signature(JsonNode node) {
    return b64(node, 86, LAST_OF_16_64);
  }

  private static boolean optSignature(JsonNode data, String field) {
    JsonNode node = data.get(field);
    return node == null || signature(node);
  }

  /** {@code ^(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-]{2,3})?$}, 22.. characters; long ones go to the schema. */
  private static boolean box(JsonNode node) {
    if (node == null || !node.isTextual()) {
      return false;
    }
    String s = node.textValue();
    int n = s.length();
    if (n < 22 || n > MAX_FAST_BOX || n % 4 == 1) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (!b64url(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** peerlist: an object of name -> [host, port]. */
  private static boolean peerlist(JsonNode node) {
    if (node == null || !node.isObject() || node.size() > 1_000_000) {
      return false;
    }
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!peernameText(e.getKey())) {
        return false;
      }
      JsonNode address = e.getValue();
      if (!address.isArray() || address.size() != 2 || !host(address.get(0)) || !integer(address.get(1), 1, 65535)) {
        return false;
      }
    }
    return true;
  }

  /** keys: absent, or an object of name -> key32. */
  private static boolean optKeys(JsonNode node) {
    if (node == null) {
      return true;
    }
    if (!node.isObject() || node.size() > 1_000_000) {
      return false;
    }
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!peernameText(e.getKey()) || !key32(e.getValue())) {
        return false;
      }
    }
    return true;
  }

  /** 1..64 characters, no control characters; only plain BMP text (no surrogates, no U+FFFE/U+FFFF) is judged here. */
  private static boolean peernameText(String s) {
    int n = s.length();
    if (n < 1 || n > 64) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      boolean plain = (c >= 0x20 && c < 0x7F) || (c >= 0xA0 && c < 0xD800) || (c >= 0xE000 && c < 0xFFFE);
      if (!plain) {
        return false;
      }
    }
    return true;
  }
}
