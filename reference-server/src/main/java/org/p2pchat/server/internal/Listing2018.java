package org.p2pchat.server.internal;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.WireJson;
import org.p2pchat.protocol.model.ListpeerReply;

/**
 * The LISTPEER reply for a requester that advertised no features (a 2018 program, which reads its reply
 * with one {@code recv(1024)}): the registered peers, oldest registration first, as many as fit in
 * {@value #MAX_BYTES} bytes in the 2018 {@code json.dumps} form; the newest are left off. Pure: no I/O.
 */
public final class Listing2018 {
  /** The 2018 program's single read. */
  public static final int MAX_BYTES = 1024;

  private Listing2018() {}

  /** The longest oldest-first prefix of {@code peers} whose reply fits in {@link #MAX_BYTES}. */
  public static LinkedHashMap<String, HostPort> fit(LinkedHashMap<String, HostPort> peers) {
    return fit(peers, MAX_BYTES, Listing2018::size);
  }

  /**
   * The longest oldest-first prefix of {@code peers} whose reply, as {@code size} measures it, fits in
   * {@code maxBytes} bytes (possibly none).
   */
  public static LinkedHashMap<String, HostPort> fit(LinkedHashMap<String, HostPort> peers, long maxBytes,
      ToIntFunction<LinkedHashMap<String, HostPort>> size) {
    if (size.applyAsInt(peers) <= maxBytes) {
      return peers;
    }
    // Binary search on the prefix length: the encoded size grows with it.
    int lo = 0;
    int hi = (int) Math.min(peers.size(), maxBytes / 10 + 1);
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (size.applyAsInt(prefix(peers, mid)) <= maxBytes) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return prefix(peers, lo);
  }

  /**
   * Bytes of the reply carrying {@code peers}, as the server writes it (2018 form). No entry encodes in
   * under 10 bytes ({@code "a": ["h", 1]} plus a separator), which bounds the search in {@link #fit}.
   */
  static int size(LinkedHashMap<String, HostPort> peers) {
    return WireJson.encode(new ListpeerReply().withPeerlist(peers), WireJson.Style.PYTHON).length;
  }

  private static LinkedHashMap<String, HostPort> prefix(LinkedHashMap<String, HostPort> peers, int n) {
    LinkedHashMap<String, HostPort> out = new LinkedHashMap<>();
    Iterator<Map.Entry<String, HostPort>> it = peers.entrySet().iterator();
    for (int i = 0; i < n && it.hasNext(); i++) {
      Map.Entry<String, HostPort> e = it.next();
      out.put(e.getKey(), e.getValue());
    }
    return out;
  }
}
