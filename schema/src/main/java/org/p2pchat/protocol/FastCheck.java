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
  /** The schema's box maxLength; a FILE_CHUNK's box is judged here up to it (see {@link #sealedLarge}). */
  static final int MAX_BOX = 1_048_576;

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
        return signedReply(data) && (!data.has("lease") || integer(data.get("lease"), 1, 86400));
      case REGISTER_ERROR:
        return signedReply(data);
      case LISTPEER_REQUEST:
      case EXIT_NETWORK:
      case HEARTBEAT:
        // after (LISTPEER, since 2; not a field of the others, whose schemas the slow path then applies) is a cursor: the same integer range as a timestamp.
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
        // Only the 2018 form (peername, filename) is judged here; the version 2 fields go to the schema pass.
        return optPeername(data, "peername") && (!data.has("filename") || filename(data.get("filename")))
            && absent(data, "transfer", "size", "sha256", "chunksize", "chunks", "window", "next", "reason", "seq",
                "box");
      case FILE_CHUNK:
        // The hot path of a file transfer: data and box run to hundreds of kilobytes, where the schema's
        // regular expressions cost more than everything else on the path (docs/file-transfer.md).
        return required(data, "peername", "transfer", "index") && peername(data, "peername")
            && transfer(data.get("transfer")) && integer(data.get("index"), 0, MAX_SAFE_INTEGER)
            && (!data.has("crc32c") || integer(data.get("crc32c"), 0, 4294967295L))
            && (!data.has("data") || chunkData(data.get("data")))
            && sealedLarge(data) && ((data.has("crc32c") && data.has("data")) || data.has("seq"));
      case FILE_ACK:
        return required(data, "peername", "transfer") && peername(data, "peername")
            && transfer(data.get("transfer")) && (!data.has("next") || integer(data.get("next"), 0, MAX_SAFE_INTEGER))
            && (!data.has("complete") || data.get("complete").isBoolean())
            && sealed(data) && (data.has("next") || data.has("seq"));
      case FILE_CANCEL:
        return required(data, "peername", "transfer") && peername(data, "peername")
            && transfer(data.get("transfer")) && (!data.has("reason") || feature(data.get("reason")))
            && (!data.has("detail") || string(data.get("detail"), 0, 200))
            && sealed(data) && (data.has("reason") || data.has("seq"));
      case MESH_HELLO:
        return required(data, "peername", "seqno", "interval") && peername(data, "peername")
            && integer(data.get("seqno"), 0, MAX_MESH_SEQNO) && integer(data.get("interval"), 1, 600_000);
      case MESH_ROUTES:
        return required(data, "peername", "full", "routes") && peername(data, "peername")
            && data.get("full").isBoolean() && meshRoutes(data.get("routes"));
      case MESH_SEQNO_REQUEST:
        return required(data, "peername", "destination", "seqno", "hoplimit") && peername(data, "peername")
            && peername(data, "destination") && integer(data.get("seqno"), 0, MAX_MESH_SEQNO)
            && integer(data.get("hoplimit"), 1, 255);
      case MESH_ROUTE_REQUEST:
        return meshDiscovery(data) && (!data.has("card") || b64(data.get("card"), 171, LAST_OF_32));
      case MESH_ROUTE_REPLY:
        return meshDiscovery(data) && (!data.has("seqno") || integer(data.get("seqno"), 0, MAX_MESH_SEQNO))
            && (!data.has("card") || b64(data.get("card"), 171, LAST_OF_32));
      case MESH_DATA:
        return meshRelayed(data, "payload");
      case MESH_ACK:
        return meshRelayed(data, "proof");
      default:
        // A type this class does not know yet: the schema decides.
        return false;
    }
  }

  private static final long MAX_MESH_SEQNO = (1L << 52) - 1;

  /** MESH_ROUTE_REQUEST / MESH_ROUTE_REPLY: the fields they share. */
  private static boolean meshDiscovery(JsonNode data) {
    return required(data, "peername", "origin", "destination", "reqid", "hoplimit", "hops")
        && peername(data, "peername") && peername(data, "origin") && peername(data, "destination")
        && integer(data.get("reqid"), 0, MAX_MESH_SEQNO) && integer(data.get("hoplimit"), 1, 255)
        && integer(data.get("hops"), 0, 255);
  }

  /** MESH_ROUTES routes: at most 1,025 entries, each a route with an optional key card. */
  private static boolean meshRoutes(JsonNode routes) {
    if (routes == null || !routes.isArray() || routes.size() > 1025) {
      return false;
    }
    for (JsonNode r : routes) {
      if (!r.isObject() || !required(r, "destination", "seqno", "metric") || !peername(r, "destination")
          || !integer(r.get("seqno"), 0, MAX_MESH_SEQNO) || !integer(r.get("metric"), 0, 65535)
          || r.has("card") && !b64(r.get("card"), 171, LAST_OF_32)) {
        return false;
      }
    }
    return true;
  }

  /** MESH_DATA / MESH_ACK: names, a printable ASCII id, counters, mode and unpadded base64 bytes. */
  private static boolean meshRelayed(JsonNode data, String bytesField) {
    if (!required(data, "peername", "origin", "destination", "id", "attempt", "hoplimit", "mode", bytesField)
        || !peername(data, "peername") || !peername(data, "origin") || !peername(data, "destination")
        || !integer(data.get("attempt"), 0, 15) || !integer(data.get("hoplimit"), 1, 255)) {
      return false;
    }
    JsonNode id = data.get("id");
    if (!id.isTextual() || id.textValue().isEmpty() || id.textValue().length() > 128) {
      return false;
    }
    for (int i = 0; i < id.textValue().length(); i++) {
      char c = id.textValue().charAt(i);
      if (c < 0x20 || c >= 0x7F) {
        return false; // only plain ASCII is judged here
      }
    }
    JsonNode mode = data.get("mode");
    if (!mode.isTextual() || !(mode.textValue().equals("routed") || mode.textValue().equals("flood"))) {
      return false;
    }
    JsonNode bytes = data.get(bytesField);
    if (!bytes.isTextual() || bytes.textValue().length() > 87_384) {
      return false;
    }
    for (int i = 0; i < bytes.textValue().length(); i++) {
      char c = bytes.textValue().charAt(i);
      if (!b64url(c) && c != '+' && c != '/') {
        return false; // padding and anything else: the schema decides
      }
    }
    return true;
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

  /** {@link #sealed} for a message whose box may be as long as the schema allows (1 MiB of text). */
  private static boolean sealedLarge(JsonNode data) {
    JsonNode seq = data.get("seq");
    JsonNode box = data.get("box");
    if (seq == null && box == null) {
      return true;
    }
    return seq != null && box != null && integer(seq, 0, MAX_SAFE_INTEGER) && box(box, MAX_BOX);
  }

  /** {@code ^[A-Za-z0-9_-]{1,64}$}. */
  private static boolean transfer(JsonNode node) {
    if (node == null || !node.isTextual()) {
      return false;
    }
    String s = node.textValue();
    int n = s.length();
    if (n < 1 || n > 64) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (!b64url(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** {@code ^[A-Za-z0-9+/]*={0,2}$}, at most 699,052 characters: standard base64 characters, then up to two '='. */
  private static boolean chunkData(JsonNode node) {
    if (node == null || !node.isTextual()) {
      return false;
    }
    String s = node.textValue();
    int n = s.length();
    if (n > 699_052) {
      return false;
    }
    int end = n;
    while (end > 0 && n - end < 2 && s.charAt(end - 1) == '=') {
      end--;
    }
    // ISO-8859-1 bytes of a Latin-1 string are a plain copy; a character above U+00FF becomes '?' (not base64).
    byte[] bytes = s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    for (int i = 0; i < end; i++) {
      int c = bytes[i];
      if (c < 0 || !BASE64[c]) {
        return false;
      }
    }
    return true;
  }

  /** {@code [A-Za-z0-9+/]} as a table: one load and compare a character over a chunk's few hundred thousand. */
  private static final boolean[] BASE64 = new boolean[128];

  static {
    for (char c = 'A'; c <= 'Z'; c++) {
      BASE64[c] = true;
      BASE64[c - 'A' + 'a'] = true;
    }
    for (char c = '0'; c <= '9'; c++) {
      BASE64[c] = true;
    }
    BASE64['+'] = true;
    BASE64['/'] = true;
  }

  private static boolean required(JsonNode data, String... names) {
    for (String name : names) {
      if (!data.has(name)) {
        return false;
      }
    }
    return true;
  }

  private static boolean absent(JsonNode data, String... names) {
    for (String name : names) {
      if (data.has(name)) {
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

  /** {@code ^[a-z][a-z0-9-]{0,31}$} (a feature, or a file transfer's reason token). */
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
    return box(node, MAX_FAST_BOX);
  }

  private static boolean box(JsonNode node, int max) {
    if (node == null || !node.isTextual()) {
      return false;
    }
    String s = node.textValue();
    int n = s.length();
    if (n < 22 || n > max || n % 4 == 1) {
      return false;
    }
    if (n <= MAX_FAST_BOX) {
      // A table, not the five-way branch of b64url(char): random base64 defeats branch prediction, and every
      // sealed CHAT_MESSAGE's box passes here.
      for (int i = 0; i < n; i++) {
        char c = s.charAt(i);
        if (c >= 128 || !BASE64URL[c]) {
          return false;
        }
      }
      return true;
    }
    // A chunk's box: a table over the bytes (see chunkData), many times cheaper per character than the branches.
    byte[] bytes = s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    for (int i = 0; i < n; i++) {
      int c = bytes[i];
      if (c < 0 || !BASE64URL[c]) {
        return false;
      }
    }
    return true;
  }

  /** {@code [A-Za-z0-9_-]} as a table. */
  private static final boolean[] BASE64URL = new boolean[128];

  static {
    for (char c = 0; c < 128; c++) {
      BASE64URL[c] = b64url(c);
    }
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
